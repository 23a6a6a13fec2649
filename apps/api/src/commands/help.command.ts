import type { MessagePostingEvent } from '../chat/events/message-posting.event.js';
import type { SlashCommand } from './slash-command.js';

/** `/help` lists every command; it is given the list when the module is assembled. */
export class HelpCommand implements SlashCommand {
  readonly name = 'help';
  readonly usage = '/help';
  readonly description = 'list the commands';

  constructor(private readonly all: () => readonly SlashCommand[]) {}

  run(_args: string, event: MessagePostingEvent): { keep: boolean } {
    const lines = this.all().map((command) => `${command.usage}: ${command.description}`);
    event.reply(['Commands:', ...lines, 'Start a message with // to send a literal /.'].join('\n'));
    return { keep: false };
  }
}
