import type Database from 'better-sqlite3';
import type { StoredUser, UserStore } from '../user-store.js';
import { DEFAULT_LOCK_WAIT_MS, whileLocked } from './sqlite-lock-wait.js';

/** Accounts in SQLite; a lock held by another process is waited for without blocking (see whileLocked). */
export class SqliteUserStore implements UserStore {
  private readonly insert;
  private readonly byKey;

  constructor(
    db: Database.Database,
    private readonly lockWaitMs = DEFAULT_LOCK_WAIT_MS,
  ) {
    this.insert = db.prepare(
      `INSERT INTO users (id, username, username_key, password_hash, created_at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (username_key) DO NOTHING`,
    );
    this.byKey = db.prepare<[string], { id: string; username: string; password_hash: string }>(
      'SELECT id, username, password_hash FROM users WHERE username_key = ?',
    );
  }

  async create(user: StoredUser): Promise<'created' | 'taken'> {
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
    return row ? { id: row.id, username: row.username, passwordHash: row.password_hash } : null;
  }
}
