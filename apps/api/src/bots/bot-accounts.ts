import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { UsernameSchema, type User } from '@chat/contracts';
import { BadRequestError, ConflictError } from '../common/errors/chat-errors.js';
import { USER_STORE, type UserStore } from '../storage/user-store.js';

/**
 * Bot identities for modules that post on their own (a `!time` answerer, a CI webhook).
 * A bot is an account in the user store without a password: it cannot sign in, and its name is
 * reserved against registration (ignoring case) like any username. Post as one through the chat
 * core with the User that `ensure` returns.
 */
@Injectable()
export class BotAccounts {
  /** One store round trip per name and process; a failed attempt is not remembered. */
  private readonly known = new Map<string, Promise<User>>();

  constructor(@Inject(USER_STORE) private readonly users: UserStore) {}

  /**
   * Creates the bot `name` or returns the existing one: `{ id, name, guest: false, bot: true }`,
   * the same id on every call, instance and restart. Throws BadRequestError when `name` is not a
   * valid username, ConflictError when a person's account already has that name.
   */
  ensure(name: string): Promise<User> {
    const key = name.toLowerCase();
    let bot = this.known.get(key);
    if (!bot) {
      bot = this.create(name);
      this.known.set(key, bot);
      void bot.catch(() => this.known.delete(key));
    }
    return bot;
  }

  private async create(name: string): Promise<User> {
    const parsed = UsernameSchema.safeParse(name);
    if (!parsed.success) {
      throw new BadRequestError(`bot name "${name}": ${parsed.error.issues[0]?.message ?? 'invalid'}`);
    }
    const stored = await this.users.ensureBot({ id: `bot:${randomUUID()}`, username: parsed.data });
    if (stored === 'taken') {
      throw new ConflictError(
        `the bot name "${name}" belongs to a registered account: give the bot another name`,
      );
    }
    return { id: stored.id, name: stored.username, guest: false, bot: true };
  }
}
