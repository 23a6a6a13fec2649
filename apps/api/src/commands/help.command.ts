import { Injectable } from '@nestjs/common';
import { SlashCommandRegistry } from './slash-command-registry.js';
import { SlashCommand, type CommandContext, type SlashCommandHandler } from './slash-command.js';

/** `/help` lists every registered command, whichever module brought it. */
@SlashCommand({ name: 'help', usage: '/help', description: 'list the commands' })
@Injectable()
export class HelpCommand implements SlashCommandHandler {
  constructor(private readonly registry: SlashCommandRegistry) {}

  run(_args: string, context: CommandContext): void {
    const lines = this.registry.list().map((command) => `${command.usage}: ${command.description}`);
    context.reply(['Commands:', ...lines, 'Start a message with // to send a literal /.'].join('\n'));
  }
}
