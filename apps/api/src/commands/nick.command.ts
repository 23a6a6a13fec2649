import { Injectable } from '@nestjs/common';
import { SlashCommand, type CommandContext, type SlashCommandHandler } from './slash-command.js';

/**
 * `/nick Zoe`: a guest goes by another name in every tab on this instance, and in tabs opened
 * while one is still open (accounts keep their username).
 * A refusal (an account, a name that breaks the rules) is a domain error: the listener answers
 * the sender with its message.
 */
@SlashCommand({
  name: 'nick',
  usage: '/nick <new name>',
  description: 'change your name in every tab (guests; while one of your tabs is open)',
})
@Injectable()
export class NickCommand implements SlashCommandHandler {
  run(args: string, context: CommandContext): void {
    if (args === '') {
      context.reply(`usage: ${context.usage}`);
      return;
    }
    context.renameSender(args);
    context.reply(`you are now ${args.trim()}`);
  }
}
