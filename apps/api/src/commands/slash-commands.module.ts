import { Module } from '@nestjs/common';
import { HelpCommand } from './help.command.js';
import { MeCommand } from './me.command.js';
import { NickCommand } from './nick.command.js';
import { SLASH_COMMANDS, type SlashCommand } from './slash-command.js';
import { SlashCommandsListener } from './slash-commands.listener.js';

/**
 * Slash commands (/help, /me, /nick), built only on the chat's extension point: remove this
 * module from AppModule and messages starting with / are ordinary messages again.
 */
@Module({
  providers: [
    {
      provide: SLASH_COMMANDS,
      useFactory: (): SlashCommand[] => {
        const commands: SlashCommand[] = [new MeCommand(), new NickCommand()];
        commands.unshift(new HelpCommand(() => commands));
        return commands;
      },
    },
    SlashCommandsListener,
  ],
})
export class SlashCommandsModule {}
