import { Injectable, Logger } from '@nestjs/common';
import type { MessagePostingEvent } from '../core/events/message-posting.event.js';
import { OnMessagePosting } from '../core/hooks/on-message-posting.decorator.js';
import { ChatError } from '../common/errors/chat-errors.js';
import { commandContext } from './command-context.js';
import { SlashCommandRegistry } from './slash-command-registry.js';

const COMMAND = /^\/([a-z][a-z0-9_-]*)(?:\s+([\s\S]*))?$/i;

/**
 * Turns messages that start with `/` into commands of the registry, through the chat core's
 * posting hook (MessagePostingEvent). `//text` sends `/text` as a plain message. A command's
 * message is swallowed (never stored) unless the command keeps or rewrites it, so a failing
 * command can never let `/kick bob` through as a message.
 */
@Injectable()
export class SlashCommandsListener {
  private readonly logger = new Logger(SlashCommandsListener.name);

  constructor(private readonly registry: SlashCommandRegistry) {}

  @OnMessagePosting()
  async handle(event: MessagePostingEvent): Promise<void> {
    const text = event.text.trim();
    // An edit is never a command: `/kick bob` typed into an edit is stored as its text.
    if (!text.startsWith('/') || event.editOf !== undefined) return;
    if (text.startsWith('//')) {
      event.rewrite(event.text.replace('//', '/'));
      return;
    }
    const match = COMMAND.exec(text);
    const command = match ? this.registry.find(match[1]!) : undefined;
    if (!match || !command) {
      event.reply(
        `unknown command ${text.split(/\s/, 1)[0]}: type /help for the list, or // to send a literal /`,
      );
      event.swallow('slash-commands');
      return;
    }
    const { context, kept } = commandContext(event, command.usage);
    try {
      await command.handler.run((match[2] ?? '').trim(), context);
    } catch (error) {
      // A domain error is the command's answer (e.g. "only registered users can kick").
      if (error instanceof ChatError) event.reply(error.message);
      else {
        this.logger.error(
          `/${command.name} (${command.className}) failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
        );
        event.reply(`/${command.name} failed on the server; try again`);
      }
      event.swallow('slash-commands');
      return;
    }
    if (!kept()) event.swallow('slash-commands');
  }
}
