import { Injectable } from '@nestjs/common';
import { SlashCommand, type CommandContext, type SlashCommandHandler } from './slash-command.js';

/** `/me waves` is stored as "* Alice waves": plain text, so every client (simple ones too) shows it. */
@SlashCommand({ name: 'me', usage: '/me <action>', description: 'say what you are doing, e.g. /me waves' })
@Injectable()
export class MeCommand implements SlashCommandHandler {
  run(args: string, context: CommandContext): void {
    if (args === '') context.reply(`usage: ${context.usage}`);
    else context.rewrite(`* ${context.user.name} ${args}`);
  }
}
