import type { User } from '@chat/contracts';
import { DiscoveryService } from '@nestjs/core';

/** What `@SlashCommand` says about a command: `/help` shows `usage` and `description`. */
export interface SlashCommandOptions {
  /** Without the slash, lower-case: `roll` for `/roll`. Unique across the app (checked at start-up). */
  name: string;
  /** One line for `/help`: `roll dice, e.g. /roll 2d6`. */
  description: string;
  /** How to call it, for `/help` and usage answers; `/<name>` when left out. */
  usage?: string;
}

/** What a command can see and do about the message that invoked it. */
export interface CommandContext {
  readonly room: string;
  /** The sender (possibly a guest, or a bot posting through the chat core). */
  readonly user: User;
  /** The sender's id for this message: a notice with it settles the sender's pending send. */
  readonly clientId: string;
  /** The whole text as sent, `/name` included. */
  readonly text: string;
  /** How the command is called (its `usage`, or `/<name>`), for "usage:" answers. */
  readonly usage: string;
  /** Tells the sender something, privately (a `notice`): nobody else sees it. */
  reply(text: string): void;
  /** Stores the message as it was sent after all (by default a command's message is not stored). */
  keep(): void;
  /** Stores `text` instead of the command (implies keep): `/me waves` becomes `* Alice waves`. */
  rewrite(text: string): void;
  /** Renames the sender on this connection (guests only: throws ForbiddenError for accounts). */
  renameSender(name: string): void;
}

/**
 * One `/name args` command: an `@Injectable()` class with `@SlashCommand({...})`, listed in the
 * providers of any module (its own services are injected as usual). `args` is what follows the
 * name, trimmed. Throw a domain error (`common/errors/chat-errors.ts`) to answer the sender with
 * its message; anything else is logged and answered as a failure, and the message is never stored.
 */
export interface SlashCommandHandler {
  run(args: string, context: CommandContext): void | Promise<void>;
}

/**
 * Marks a provider as a slash command, found at start-up with Nest's DiscoveryService:
 *
 * ```ts
 * @SlashCommand({ name: 'roll', description: 'roll dice, e.g. /roll 2d6', usage: '/roll NdM' })
 * @Injectable()
 * export class RollCommand implements SlashCommandHandler { ... }
 * ```
 */
export const SlashCommand = DiscoveryService.createDecorator<SlashCommandOptions>();
