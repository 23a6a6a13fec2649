import type pg from 'pg';
import type { StoredUser, UserStore } from '../user-store.js';
import { query } from './postgres-database.js';

interface UserRow {
  id: string;
  username: string;
  password_hash: string;
  token_version: number;
}

export class PostgresUserStore implements UserStore {
  constructor(private readonly pool: pg.Pool) {}

  async create(user: Omit<StoredUser, 'tokenVersion'>): Promise<'created' | 'taken'> {
    const { rowCount } = await query(
      this.pool,
      `INSERT INTO users (id, username, username_key, password_hash) VALUES ($1, $2, $3, $4)
       ON CONFLICT (username_key) DO NOTHING`,
      [user.id, user.username, user.username.toLowerCase(), user.passwordHash],
    );
    return rowCount === 1 ? 'created' : 'taken';
  }

  async findByUsername(username: string): Promise<StoredUser | null> {
    const { rows } = await query<UserRow>(
      this.pool,
      'SELECT id, username, password_hash, token_version FROM users WHERE username_key = $1',
      [username.toLowerCase()],
    );
    const row = rows[0];
    return row
      ? {
          id: row.id,
          username: row.username,
          passwordHash: row.password_hash,
          tokenVersion: row.token_version,
        }
      : null;
  }

  async tokenVersion(id: string): Promise<number | null> {
    const { rows } = await query<{ token_version: number }>(
      this.pool,
      'SELECT token_version FROM users WHERE id = $1',
      [id],
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
