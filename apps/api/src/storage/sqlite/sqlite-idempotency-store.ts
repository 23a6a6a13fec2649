import type Database from 'better-sqlite3';
import type { IdempotencyStore } from '../idempotency-store.js';
import { DEFAULT_LOCK_WAIT_MS, whileLocked } from './sqlite-lock-wait.js';

export class SqliteIdempotencyStore implements IdempotencyStore {
  private readonly insert;
  private readonly read;

  constructor(
    db: Database.Database,
    private readonly lockWaitMs = DEFAULT_LOCK_WAIT_MS,
  ) {
    this.insert = db.prepare(
      `INSERT INTO http_idempotency (user_id, key, fingerprint, created_at) VALUES (?, ?, ?, ?)
       ON CONFLICT DO NOTHING`,
    );
    this.read = db.prepare('SELECT fingerprint FROM http_idempotency WHERE user_id = ? AND key = ?').pluck();
  }

  claim(userId: string, key: string, fingerprint: string): Promise<'new' | 'same' | 'conflict'> {
    return whileLocked(() => {
      if (this.insert.run(userId, key, fingerprint, new Date().toISOString()).changes === 1) return 'new';
      return this.read.get(userId, key) === fingerprint ? 'same' : 'conflict';
    }, this.lockWaitMs);
  }
}
