import type Database from 'better-sqlite3';
import type { StoredUser, UserStore } from '../user-store.js';
import { DEFAULT_LOCK_WAIT_MS, whileLocked } from './sqlite-lock-wait.js';

interface UserRow {
  id: string;
  username: string;
  password_hash: string;
  token_version: number;
  bot: number;
}

function toStoredUser(row: UserRow): StoredUser {
  return {
    id: row.id,
    username: row.username,
    passwordHash: row.password_hash,
    bot: row.bot === 1,
    tokenVersion: row.token_version,
  };
}

/** Accounts in SQLite; a lock held by another process is waited for without blocking (see whileLocked). */
export class SqliteUserStore implements UserStore {
  private readonly insert;
  private readonly insertBot;
  private readonly byKey;
  private readonly versionById;
  private readonly bump;
  private readonly joinGeneral;
  private readonly register;
  private readonly registerBot;
  private readonly externalById;
  private readonly upsertExternal;
  private readonly revokeBefore;

  constructor(
    db: Database.Database,
    private readonly lockWaitMs = DEFAULT_LOCK_WAIT_MS,
  ) {
    this.insert = db.prepare(
      `INSERT INTO users (id, username, username_key, password_hash, created_at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (username_key) DO NOTHING`,
    );
    this.insertBot = db.prepare(
      `INSERT INTO users (id, username, username_key, password_hash, bot, created_at) VALUES (?, ?, ?, '', 1, ?)
       ON CONFLICT (username_key) DO NOTHING`,
    );
    // Every account is a member of general from its registration on, its first person its owner;
    // its read marker starts at the newest seq, so general's past does not turn unread.
    this.joinGeneral = db.prepare(
      `INSERT INTO room_members (room, user_id, user_name, role, read_seq, joined_at)
       SELECT 'general', @id, @name,
              CASE WHEN EXISTS (SELECT 1 FROM room_members WHERE room = 'general' AND role = 'owner')
                   THEN 'member' ELSE 'owner' END,
              r.last_seq, @now
       FROM rooms r WHERE r.name = 'general'
       ON CONFLICT DO NOTHING`,
    );
    const bumpGeneral = db.prepare("UPDATE rooms SET member_count = member_count + 1 WHERE name = 'general'");
    this.register = db.transaction((user: Pick<StoredUser, 'id' | 'username' | 'passwordHash'>) => {
      const now = new Date().toISOString();
      const { changes } = this.insert.run(
        user.id,
        user.username,
        user.username.toLowerCase(),
        user.passwordHash,
        now,
      );
      if (changes !== 1) return 0;
      if (this.joinGeneral.run({ id: user.id, name: user.username, now }).changes === 1) bumpGeneral.run();
      return 1;
    });
    // A bot is a member of general too, never its owner (that is the first person's).
    const botJoinsGeneral = db.prepare(
      `INSERT INTO room_members (room, user_id, user_name, user_bot, role, read_seq, joined_at)
       SELECT 'general', ?, ?, 1, 'member', last_seq, ? FROM rooms WHERE name = 'general'
       ON CONFLICT DO NOTHING`,
    );
    this.registerBot = db.transaction((bot: Pick<StoredUser, 'id' | 'username'>, key: string) => {
      const now = new Date().toISOString();
      if (this.insertBot.run(bot.id, bot.username, key, now).changes === 1) {
        if (botJoinsGeneral.run(bot.id, bot.username, now).changes === 1) bumpGeneral.run();
      }
      return this.byKey.get(key);
    });
    this.externalById = db.prepare<[string], { username: string; bot: number; token_version: number }>(
      'SELECT username, bot, token_version FROM users WHERE id = ?',
    );
    const insertExternal = db.prepare(
      `INSERT INTO users (id, username, username_key, password_hash, bot, created_at) VALUES (@id, @name, @id, '', @bot, @now)
       ON CONFLICT (id) DO UPDATE SET username = excluded.username, bot = excluded.bot`,
    );
    const externalJoinsGeneral = db.prepare(
      `INSERT INTO room_members (room, user_id, user_name, user_bot, role, read_seq, joined_at)
       SELECT 'general', @id, @name, @bot, 'member', last_seq, @now FROM rooms WHERE name = 'general'
       ON CONFLICT DO NOTHING`,
    );
    const renameMember = db.prepare(
      'UPDATE room_members SET user_name = @name, user_bot = @bot WHERE user_id = @id',
    );
    this.upsertExternal = db.transaction((user: Pick<StoredUser, 'id' | 'username' | 'bot'>) => {
      const now = new Date().toISOString();
      const known = this.externalById.get(user.id);
      const values = { id: user.id, name: user.username, bot: user.bot ? 1 : 0, now };
      insertExternal.run(values);
      if (known) renameMember.run(values);
      else if (externalJoinsGeneral.run(values).changes === 1) bumpGeneral.run();
      return known?.token_version ?? 0;
    });
    this.revokeBefore = db.prepare<[number, string], { token_version: number }>(
      'UPDATE users SET token_version = max(token_version, ?) WHERE id = ? RETURNING token_version',
    );
    this.byKey = db.prepare<[string], UserRow>(
      'SELECT id, username, password_hash, token_version, bot FROM users WHERE username_key = ?',
    );
    this.versionById = db.prepare<[string], { token_version: number }>(
      'SELECT token_version FROM users WHERE id = ?',
    );
    this.bump = db.prepare<[string | null, string], { token_version: number }>(
      `UPDATE users SET token_version = token_version + 1, password_hash = coalesce(?, password_hash)
       WHERE id = ? RETURNING token_version`,
    );
  }

  /** Creates the account and its membership of general in one transaction. */
  async create(user: Pick<StoredUser, 'id' | 'username' | 'passwordHash'>): Promise<'created' | 'taken'> {
    const changes = await whileLocked(() => this.register.immediate(user), this.lockWaitMs);
    return changes === 1 ? 'created' : 'taken';
  }

  async ensureBot(bot: Pick<StoredUser, 'id' | 'username'>): Promise<StoredUser | 'taken'> {
    const key = bot.username.toLowerCase();
    const row = await whileLocked(() => this.registerBot.immediate(bot, key), this.lockWaitMs);
    return row?.bot === 1 ? toStoredUser(row) : 'taken';
  }

  async findByUsername(username: string): Promise<StoredUser | null> {
    const row = await whileLocked(() => this.byKey.get(username.toLowerCase()), this.lockWaitMs);
    return row ? toStoredUser(row) : null;
  }

  async tokenVersion(id: string): Promise<number | null> {
    const row = await whileLocked(() => this.versionById.get(id), this.lockWaitMs);
    return row?.token_version ?? null;
  }

  async ensureExternal(user: Pick<StoredUser, 'id' | 'username' | 'bot'>): Promise<number> {
    return await whileLocked(() => {
      // The common case, a user seen before under the same name, is one read and no write.
      const known = this.externalById.get(user.id);
      if (known && known.username === user.username && known.bot === (user.bot ? 1 : 0)) {
        return known.token_version;
      }
      return this.upsertExternal.immediate(user);
    }, this.lockWaitMs);
  }

  async revokeExternal(id: string, beforeSeconds: number): Promise<number | null> {
    const row = await whileLocked(() => this.revokeBefore.get(beforeSeconds, id), this.lockWaitMs);
    return row?.token_version ?? null;
  }

  async revokeTokens(id: string, newPasswordHash?: string): Promise<number | null> {
    const row = await whileLocked(() => this.bump.get(newPasswordHash ?? null, id), this.lockWaitMs);
    return row?.token_version ?? null;
  }
}
