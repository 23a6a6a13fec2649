import type Database from 'better-sqlite3';
import type { StoredUser, UserStore } from '../user-store.js';
import { DEFAULT_LOCK_WAIT_MS, whileLocked } from './sqlite-lock-wait.js';

interface UserRow {
  id: string;
  username: string;
  password_hash: string;
  token_version: number;
}

/** Accounts in SQLite; a lock held by another process is waited for without blocking (see whileLocked). */
export class SqliteUserStore implements UserStore {
  private readonly insert;
  private readonly byKey;
  private readonly versionById;
  private readonly bump;

  constructor(
    db: Database.Database,
    private readonly lockWaitMs = DEFAULT_LOCK_WAIT_MS,
  ) {
    this.insert = db.prepare(
      `INSERT INTO users (id, username, username_key, password_hash, created_at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (username_key) DO NOTHING`,
    );
    this.byKey = db.prepare<[string], UserRow>(
      'SELECT id, username, password_hash, token_version FROM users WHERE username_key = ?',
    );
    this.versionById = db.prepare<[string], { token_version: number }>(
      'SELECT token_version FROM users WHERE id = ?',
    );
    this.bump = db.prepare<[string | null, string], { token_version: number }>(
      `UPDATE users SET token_version = token_version + 1, password_hash = coalesce(?, password_hash)
       WHERE id = ? RETURNING token_version`,
    );
  }

  async create(user: Omit<StoredUser, 'tokenVersion'>): Promise<'created' | 'taken'> {
    const { changes } = await whileLocked(
      () =>
        this.insert.run(
          user.id,
          user.username,
          user.username.toLowerCase(),
          user.passwordHash,
          new Date().toISOString(),
        ),
      this.lockWaitMs,
    );
    return changes === 1 ? 'created' : 'taken';
  }

  async findByUsername(username: string): Promise<StoredUser | null> {
    const row = await whileLocked(() => this.byKey.get(username.toLowerCase()), this.lockWaitMs);
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
    const row = await whileLocked(() => this.versionById.get(id), this.lockWaitMs);
    return row?.token_version ?? null;
  }

  async revokeTokens(id: string, newPasswordHash?: string): Promise<number | null> {
    const row = await whileLocked(() => this.bump.get(newPasswordHash ?? null, id), this.lockWaitMs);
    return row?.token_version ?? null;
  }
}
