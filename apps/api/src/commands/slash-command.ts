import type { MessagePostingEvent } from '../chat/events/message-posting.event.js';

/** One `/name args` command. Commands answer through the event: reply, rewrite, rename. */
export interface SlashCommand {
  /** Without the slash: `me` for `/me`. */
  readonly name: string;
  readonly usage: string;
  readonly description: string;
  /** Whether the message is kept (e.g. rewritten by /me) instead of swallowed. */
  run(args: string, event: MessagePostingEvent): { keep: boolean };
}

/** Nest token under which the commands are provided (a list: add yours to it). */
export const SLASH_COMMANDS = Symbol('SlashCommands');
