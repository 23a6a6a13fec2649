import type pg from 'pg';
import type { StoredUser, UserStore } from '../user-store.js';
import { query } from './postgres-database.js';

export class PostgresUserStore implements UserStore {
  constructor(private readonly pool: pg.Pool) {}

  async create(user: StoredUser): Promise<'created' | 'taken'> {
    const { rowCount } = await query(
      this.pool,
      `INSERT INTO users (id, username, username_key, password_hash) VALUES ($1, $2, $3, $4)
       ON CONFLICT (username_key) DO NOTHING`,
      [user.id, user.username, user.username.toLowerCase(), user.passwordHash],
    );
    return rowCount === 1 ? 'created' : 'taken';
  }

  async findByUsername(username: string): Promise<StoredUser | null> {
    const { rows } = await query<{ id: string; username: string; password_hash: string }>(
      this.pool,
      'SELECT id, username, password_hash FROM users WHERE username_key = $1',
      [username.toLowerCase()],
    );
    const row = rows[0];
    return row ? { id: row.id, username: row.username, passwordHash: row.password_hash } : null;
  }
}
