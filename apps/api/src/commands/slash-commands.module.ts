import { Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { HelpCommand } from './help.command.js';
import { MeCommand } from './me.command.js';
import { NickCommand } from './nick.command.js';
import { SlashCommandRegistry } from './slash-command-registry.js';
import { SlashCommandsListener } from './slash-commands.listener.js';

/**
 * The slash-command registry, built only on the chat's posting hook: any module adds a command
 * by listing an `@SlashCommand` class in its own providers (it need not import this module).
 * /help, /me and /nick are registered the same way. Remove this module from AppModule and
 * messages starting with / are ordinary messages again.
 */
@Module({
  imports: [DiscoveryModule],
  providers: [SlashCommandRegistry, SlashCommandsListener, HelpCommand, MeCommand, NickCommand],
})
export class SlashCommandsModule {}
