import type pg from 'pg';
import type { IdempotencyStore } from '../idempotency-store.js';
import { query } from './postgres-database.js';

export class PostgresIdempotencyStore implements IdempotencyStore {
  constructor(private readonly pool: pg.Pool) {}

  async claim(userId: string, key: string, fingerprint: string): Promise<'new' | 'same' | 'conflict'> {
    // One statement: the insert, or the row a concurrent request (or an earlier one) left.
    const { rows } = await query<{ fingerprint: string; inserted: boolean }>(
      this.pool,
      `WITH ins AS (
         INSERT INTO http_idempotency (user_id, key, fingerprint, created_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT DO NOTHING RETURNING fingerprint
       )
       SELECT fingerprint, TRUE AS inserted FROM ins
       UNION ALL
       SELECT fingerprint, FALSE FROM http_idempotency WHERE user_id = $1 AND key = $2
       LIMIT 1`,
      [userId, key, fingerprint, new Date().toISOString()],
    );
    const row = rows[0];
    // A concurrent insert not yet visible to this statement's snapshot: ask again.
    if (!row) return this.claim(userId, key, fingerprint);
    if (row.inserted) return 'new';
    return row.fingerprint === fingerprint ? 'same' : 'conflict';
  }
}
