import type { MessagePostingEvent } from '../chat/events/message-posting.event.js';
import { ChatError } from '../common/errors/chat-errors.js';
import type { SlashCommand } from './slash-command.js';

/** `/nick Zoe`: a guest goes by another name on this connection (accounts keep their username). */
export class NickCommand implements SlashCommand {
  readonly name = 'nick';
  readonly usage = '/nick <new name>';
  readonly description = 'change your name (guests; until you reconnect)';

  run(args: string, event: MessagePostingEvent): { keep: boolean } {
    if (args === '') {
      event.reply(`usage: ${this.usage}`);
      return { keep: false };
    }
    try {
      event.renameSender(args);
      event.reply(`you are now ${args.trim()}`);
    } catch (error) {
      if (!(error instanceof ChatError)) throw error;
      event.reply(error.message);
    }
    return { keep: false };
  }
}
