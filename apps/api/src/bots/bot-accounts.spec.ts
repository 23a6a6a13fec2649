import { describe, expect, it } from '@jest/globals';
import Database from 'better-sqlite3';
import { BadRequestError, ConflictError } from '../common/errors/chat-errors.js';
import { SQLITE_MIGRATIONS } from '../storage/sqlite/sqlite-migrations.js';
import { SqliteUserStore } from '../storage/sqlite/sqlite-user-store.js';
import type { StoredUser, UserStore } from '../storage/user-store.js';
import { BotAccounts } from './bot-accounts.js';

/** A real SQLite user store in memory, counting ensureBot calls; the first `failures` throw. */
function userStore(failures = 0) {
  const db = new Database(':memory:');
  for (const sql of SQLITE_MIGRATIONS) db.exec(sql);
  const real = new SqliteUserStore(db);
  const calls = { ensureBot: 0 };
  const store: UserStore = {
    create: (user) => real.create(user),
    findByUsername: (username) => real.findByUsername(username),
    tokenVersion: (id) => real.tokenVersion(id),
    revokeTokens: (id, hash) => real.revokeTokens(id, hash),
    ensureExternal: (user) => real.ensureExternal(user),
    revokeExternal: (id, before) => real.revokeExternal(id, before),
    ensureBot: (bot: Pick<StoredUser, 'id' | 'username'>) => {
      calls.ensureBot++;
      if (calls.ensureBot <= failures) return Promise.reject(new Error('database down'));
      return real.ensureBot(bot);
    },
  };
  return { store, calls };
}

describe(BotAccounts.name, () => {
  it('should create a bot without a password, and ask the store once per name', async () => {
    const { store, calls } = userStore();
    const sut = new BotAccounts(store);
    const bot = await sut.ensure('timebot');
    expect(bot).toStrictEqual({
      id: expect.stringMatching(/^bot:/),
      name: 'timebot',
      guest: false,
      bot: true,
    });
    expect(await sut.ensure('TimeBot')).toBe(bot);
    expect(calls.ensureBot).toBe(1);
    expect(await store.findByUsername('timebot')).toMatchObject({ id: bot.id, bot: true, passwordHash: '' });
  });

  it('should return the stored bot to a second instance (same id), not create another', async () => {
    const { store } = userStore();
    const first = await new BotAccounts(store).ensure('cibot');
    expect(await new BotAccounts(store).ensure('CIBot')).toStrictEqual(first);
  });

  it("should refuse a person's name and an invalid name", async () => {
    const { store, calls } = userStore();
    await store.create({ id: 'user:1', username: 'Alice', passwordHash: 'x' });
    await expect(new BotAccounts(store).ensure('alice')).rejects.toThrow(ConflictError);
    await expect(new BotAccounts(store).ensure('a b')).rejects.toThrow(BadRequestError);
    expect(calls.ensureBot).toBe(1);
  });

  it('should not remember a failed attempt', async () => {
    const { store } = userStore(1);
    const sut = new BotAccounts(store);
    await expect(sut.ensure('retry')).rejects.toThrow('database down');
    await expect(sut.ensure('retry')).resolves.toMatchObject({ name: 'retry', bot: true });
  });
});
