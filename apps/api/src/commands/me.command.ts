import type { MessagePostingEvent } from '../chat/events/message-posting.event.js';
import type { SlashCommand } from './slash-command.js';

/** `/me waves` is stored as "* Alice waves": plain text, so every client (simple ones too) shows it. */
export class MeCommand implements SlashCommand {
  readonly name = 'me';
  readonly usage = '/me <action>';
  readonly description = 'say what you are doing, e.g. /me waves';

  run(args: string, event: MessagePostingEvent): { keep: boolean } {
    if (args === '') {
      event.reply(`usage: ${this.usage}`);
      return { keep: false };
    }
    event.rewrite(`* ${event.user.name} ${args}`);
    return { keep: true };
  }
}
