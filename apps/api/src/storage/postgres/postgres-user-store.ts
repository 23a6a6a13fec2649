import type pg from 'pg';
import type { StoredUser, UserStore } from '../user-store.js';
import { query } from './postgres-database.js';

interface UserRow {
  id: string;
  username: string;
  password_hash: string;
  token_version: number;
  bot: boolean;
}

const COLUMNS = 'id, username, password_hash, token_version, bot';

function toStoredUser(row: UserRow): StoredUser {
  return {
    id: row.id,
    username: row.username,
    passwordHash: row.password_hash,
    bot: row.bot,
    tokenVersion: row.token_version,
  };
}

export class PostgresUserStore implements UserStore {
  constructor(private readonly pool: pg.Pool) {}

  /**
   * Creates the account and its membership of general in one statement: every account is a
   * member of general, the first person's its owner, its read marker at general's newest seq.
   */
  async create(user: Pick<StoredUser, 'id' | 'username' | 'passwordHash'>): Promise<'created' | 'taken'> {
    const { rows } = await query<{ created: string }>(
      this.pool,
      `WITH u AS (
         INSERT INTO users (id, username, username_key, password_hash) VALUES ($1, $2, $3, $4)
         ON CONFLICT (username_key) DO NOTHING RETURNING id, username
       ), m AS (
         INSERT INTO room_members (room, user_id, user_name, role, read_seq, joined_at)
         SELECT 'general', u.id, u.username,
                CASE WHEN EXISTS (SELECT 1 FROM room_members WHERE room = 'general' AND role = 'owner')
                     THEN 'member' ELSE 'owner' END,
                r.last_seq, $5
         FROM u JOIN rooms r ON r.name = 'general'
         ON CONFLICT DO NOTHING RETURNING 1
       ), c AS (
         UPDATE rooms SET member_count = member_count + (SELECT count(*) FROM m) WHERE name = 'general'
       )
       SELECT count(*) AS created FROM u`,
      [user.id, user.username, user.username.toLowerCase(), user.passwordHash, new Date().toISOString()],
    );
    return Number(rows[0]?.created) === 1 ? 'created' : 'taken';
  }

  async ensureBot(bot: Pick<StoredUser, 'id' | 'username'>): Promise<StoredUser | 'taken'> {
    // Either this insert creates the row, or the name exists (maybe inserted a moment ago by
    // another instance): the read that follows sees it in both cases.
    // A bot is a member of general too (in the same statement), never its owner.
    await query(
      this.pool,
      `WITH u AS (
         INSERT INTO users (id, username, username_key, password_hash, bot) VALUES ($1, $2, $3, '', TRUE)
         ON CONFLICT (username_key) DO NOTHING RETURNING id, username
       ), m AS (
         INSERT INTO room_members (room, user_id, user_name, user_bot, role, read_seq, joined_at)
         SELECT 'general', u.id, u.username, TRUE, 'member', r.last_seq, $4
         FROM u JOIN rooms r ON r.name = 'general'
         ON CONFLICT DO NOTHING RETURNING 1
       )
       UPDATE rooms SET member_count = member_count + (SELECT count(*) FROM m) WHERE name = 'general'`,
      [bot.id, bot.username, bot.username.toLowerCase(), new Date().toISOString()],
    );
    const stored = await this.findByUsername(bot.username);
    return stored?.bot ? stored : 'taken';
  }

  async findByUsername(username: string): Promise<StoredUser | null> {
    const { rows } = await query<UserRow>(this.pool, `SELECT ${COLUMNS} FROM users WHERE username_key = $1`, [
      username.toLowerCase(),
    ]);
    const row = rows[0];
    return row ? toStoredUser(row) : null;
  }

  async tokenVersion(id: string): Promise<number | null> {
    const { rows } = await query<{ token_version: number }>(
      this.pool,
      'SELECT token_version FROM users WHERE id = $1',
      [id],
    );
    return rows[0]?.token_version ?? null;
  }

  async ensureExternal(user: Pick<StoredUser, 'id' | 'username' | 'bot'>): Promise<number> {
    // The common case, a user seen before under the same name, is one read and no write.
    const { rows } = await query<{ username: string; bot: boolean; token_version: number }>(
      this.pool,
      'SELECT username, bot, token_version FROM users WHERE id = $1',
      [user.id],
    );
    const known = rows[0];
    if (known && known.username === user.username && known.bot === user.bot) return known.token_version;
    // Created with its membership of general (never its owner), or renamed, in one statement.
    const { rows: written } = await query<{ token_version: number }>(
      this.pool,
      `WITH u AS (
         INSERT INTO users (id, username, username_key, password_hash, bot) VALUES ($1, $2, $1, '', $3)
         ON CONFLICT (id) DO UPDATE SET username = EXCLUDED.username, bot = EXCLUDED.bot
         RETURNING id, username, bot, token_version, (xmax = 0) AS inserted
       ), m AS (
         INSERT INTO room_members (room, user_id, user_name, user_bot, role, read_seq, joined_at)
         SELECT 'general', u.id, u.username, u.bot, 'member', r.last_seq, $4
         FROM u JOIN rooms r ON r.name = 'general' WHERE u.inserted
         ON CONFLICT DO NOTHING RETURNING 1
       ), c AS (
         UPDATE rooms SET member_count = member_count + (SELECT count(*) FROM m) WHERE name = 'general'
       ), n AS (
         UPDATE room_members SET user_name = $2, user_bot = $3 WHERE user_id = $1 AND EXISTS (SELECT 1 FROM u WHERE NOT u.inserted)
       )
       SELECT token_version FROM u`,
      [user.id, user.username, user.bot, new Date().toISOString()],
    );
    return written[0]?.token_version ?? 0;
  }

  async revokeExternal(id: string, beforeSeconds: number): Promise<number | null> {
    const { rows } = await query<{ token_version: number }>(
      this.pool,
      'UPDATE users SET token_version = greatest(token_version, $1) WHERE id = $2 RETURNING token_version',
      [beforeSeconds, id],
    );
    return rows[0]?.token_version ?? null;
  }

  async revokeTokens(id: string, newPasswordHash?: string): Promise<number | null> {
    const { rows } = await query<{ token_version: number }>(
      this.pool,
      `UPDATE users SET token_version = token_version + 1, password_hash = coalesce($1, password_hash)
       WHERE id = $2 RETURNING token_version`,
      [newPasswordHash ?? null, id],
    );
    return rows[0]?.token_version ?? null;
  }
}
