import { Inject, Injectable } from '@nestjs/common';
import type { MessagePostingEvent } from '../core/events/message-posting.event.js';
import { OnMessagePosting } from '../core/hooks/on-message-posting.decorator.js';
import { SLASH_COMMANDS, type SlashCommand } from './slash-command.js';

const COMMAND = /^\/([a-z]+)(?:\s+([\s\S]*))?$/i;

/**
 * Turns messages that start with `/` into commands, through the chat core's posting hook
 * (MessagePostingEvent). `//text` sends `/text` as a plain message.
 */
@Injectable()
export class SlashCommandsListener {
  private readonly byName: Map<string, SlashCommand>;

  constructor(@Inject(SLASH_COMMANDS) commands: SlashCommand[]) {
    this.byName = new Map(commands.map((command) => [command.name, command]));
  }

  @OnMessagePosting()
  handle(event: MessagePostingEvent): void {
    const text = event.text.trim();
    if (!text.startsWith('/')) return;
    if (text.startsWith('//')) {
      event.rewrite(event.text.replace('//', '/'));
      return;
    }
    const match = COMMAND.exec(text);
    const command = match ? this.byName.get(match[1]!.toLowerCase()) : undefined;
    if (!command) {
      event.reply(
        `unknown command ${text.split(/\s/, 1)[0]}: type /help for the list, or // to send a literal /`,
      );
      event.swallow('slash-commands');
      return;
    }
    const { keep } = command.run((match![2] ?? '').trim(), event);
    if (!keep) event.swallow('slash-commands');
  }
}
