import type pg from 'pg';
import { claimOutcome, type IdempotencyRow } from '../idempotency-rows.js';
import type {
  IdempotencyClaim,
  IdempotencyClaimTimes,
  IdempotencyOutcome,
  IdempotencyStore,
} from '../idempotency-store.js';
import { query } from './postgres-database.js';

/** The binding may be taken over (see IdempotencyStore.claim); `$5` NULL: never. */
const FREE = `($5::text IS NOT NULL AND h.state = 'pending'
  AND (h.holders <= 0 OR h.claimed_at IS NULL OR h.claimed_at < $5::text))`;
const SAME_PENDING = `(h.state = 'pending' AND h.fingerprint = EXCLUDED.fingerprint)`;

export class PostgresIdempotencyStore implements IdempotencyStore {
  constructor(private readonly pool: pg.Pool) {}

  async claim(
    userId: string,
    key: string,
    fingerprint: string,
    at: IdempotencyClaimTimes,
  ): Promise<IdempotencyClaim> {
    // One statement: ON CONFLICT DO UPDATE locks the row and decides on its latest version, so
    // concurrent claims (on any instance) take turns; the SET expressions read the row as it was.
    const { rows } = await query<IdempotencyRow>(
      this.pool,
      `INSERT INTO http_idempotency AS h (user_id, key, fingerprint, created_at, state, holders, claimed_at)
       VALUES ($1, $2, $3, $4, 'pending', 1, $4)
       ON CONFLICT (user_id, key) DO UPDATE SET
         fingerprint = CASE WHEN ${FREE} THEN EXCLUDED.fingerprint ELSE h.fingerprint END,
         created_at  = CASE WHEN ${FREE} THEN EXCLUDED.created_at ELSE h.created_at END,
         holders     = CASE WHEN ${FREE} THEN 1 WHEN ${SAME_PENDING} THEN h.holders + 1 ELSE h.holders END,
         claimed_at  = CASE WHEN ${FREE} OR ${SAME_PENDING} THEN EXCLUDED.claimed_at ELSE h.claimed_at END
       RETURNING fingerprint, state, holders, replies`,
      [userId, key, fingerprint, at.now, at.freeBefore ?? null],
    );
    const row = rows[0];
    if (!row) throw new Error('the idempotency upsert returned no row');
    return claimOutcome(row, fingerprint);
  }

  async settle(userId: string, key: string, fingerprint: string, outcome: IdempotencyOutcome): Promise<void> {
    // A stored message wins over a swallow a concurrent identical request saw.
    if (outcome.stored) {
      await query(
        this.pool,
        `UPDATE http_idempotency SET state = 'stored', holders = 0, replies = NULL
         WHERE user_id = $1 AND key = $2 AND fingerprint = $3`,
        [userId, key, fingerprint],
      );
      return;
    }
    await query(
      this.pool,
      `UPDATE http_idempotency SET state = 'swallowed', holders = 0, replies = $4
       WHERE user_id = $1 AND key = $2 AND fingerprint = $3 AND state = 'pending'`,
      [userId, key, fingerprint, JSON.stringify(outcome.replies)],
    );
  }

  async release(userId: string, key: string, fingerprint: string): Promise<void> {
    await query(
      this.pool,
      `UPDATE http_idempotency SET holders = holders - 1
       WHERE user_id = $1 AND key = $2 AND fingerprint = $3 AND state = 'pending' AND holders > 0`,
      [userId, key, fingerprint],
    );
  }
}
