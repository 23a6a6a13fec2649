import type pg from 'pg';
import { claimOutcome, type IdempotencyRow } from '../idempotency-rows.js';
import type {
  IdempotencyClaim,
  IdempotencyClaimRequest,
  IdempotencyOutcome,
  IdempotencyPruneTimes,
  IdempotencyStore,
} from '../idempotency-store.js';
import { query } from './postgres-database.js';

/** The binding may be taken (see IdempotencyStore.claim). */
const FREE = `(h.state = 'pending'
  AND (h.hold_id IS NULL OR h.claimed_at IS NULL OR h.claimed_at < $6::text))`;

/** A binding nobody needs: pending and free, or settled and past its retention. */
const prunable = (
  row: string,
) => `((${row}state = 'pending' AND (${row}hold_id IS NULL OR ${row}claimed_at < $1))
   OR (${row}state IN ('stored', 'swallowed') AND ${row}claimed_at < $2))`;
const PRUNABLE = prunable('');
const PRUNABLE_H = prunable('h.');

export class PostgresIdempotencyStore implements IdempotencyStore {
  constructor(private readonly pool: pg.Pool) {}

  async claim(
    userId: string,
    key: string,
    fingerprint: string,
    claim: IdempotencyClaimRequest,
  ): Promise<IdempotencyClaim> {
    // One statement: ON CONFLICT DO UPDATE locks the row and decides on its latest version, so
    // concurrent claims (on any instance) take turns; the SET expressions read the row as it was.
    const { rows } = await query<IdempotencyRow>(
      this.pool,
      `INSERT INTO http_idempotency AS h (user_id, key, fingerprint, created_at, state, hold_id, claimed_at)
       VALUES ($1, $2, $3, $4, 'pending', $5, $4)
       ON CONFLICT (user_id, key) DO UPDATE SET
         fingerprint = CASE WHEN ${FREE} THEN EXCLUDED.fingerprint ELSE h.fingerprint END,
         created_at  = CASE WHEN ${FREE} THEN EXCLUDED.created_at ELSE h.created_at END,
         hold_id     = CASE WHEN ${FREE} THEN EXCLUDED.hold_id ELSE h.hold_id END,
         claimed_at  = CASE WHEN ${FREE} THEN EXCLUDED.claimed_at ELSE h.claimed_at END
       RETURNING fingerprint, state, hold_id, claimed_at, replies`,
      [userId, key, fingerprint, claim.now, claim.hold, claim.abandonedBefore],
    );
    const row = rows[0];
    if (!row) throw new Error('the idempotency upsert returned no row');
    return claimOutcome(row, fingerprint, claim);
  }

  async settle(userId: string, key: string, hold: string, outcome: IdempotencyOutcome): Promise<void> {
    if (outcome.stored) {
      await query(
        this.pool,
        `UPDATE http_idempotency SET state = 'stored', hold_id = NULL, replies = NULL,
           fingerprint = COALESCE($4::text, fingerprint)
         WHERE user_id = $1 AND key = $2 AND hold_id = $3 AND state = 'pending'`,
        [userId, key, hold, outcome.boundTo ?? null],
      );
      return;
    }
    await query(
      this.pool,
      `UPDATE http_idempotency SET state = 'swallowed', hold_id = NULL, replies = $4
       WHERE user_id = $1 AND key = $2 AND hold_id = $3 AND state = 'pending'`,
      [userId, key, hold, JSON.stringify(outcome.replies)],
    );
  }

  async release(userId: string, key: string, hold: string): Promise<void> {
    await query(
      this.pool,
      `UPDATE http_idempotency SET hold_id = NULL
       WHERE user_id = $1 AND key = $2 AND hold_id = $3 AND state = 'pending'`,
      [userId, key, hold],
    );
  }

  async prune(before: IdempotencyPruneTimes, limit: number): Promise<number> {
    // Bounded, so that a backlog never locks many rows at once (http_idempotency_prune); rows a
    // claim has locked are skipped. The condition is asked again of the row being deleted: a
    // claim that took a free row after the pick is seen there (READ COMMITTED re-checks a changed
    // row against the DELETE's own WHERE, not against the pick), so its new binding stays.
    const { rowCount } = await query(
      this.pool,
      `WITH doomed AS (
         SELECT user_id, key FROM http_idempotency WHERE ${PRUNABLE} LIMIT $3 FOR UPDATE SKIP LOCKED)
       DELETE FROM http_idempotency h USING doomed
       WHERE h.user_id = doomed.user_id AND h.key = doomed.key AND ${PRUNABLE_H}`,
      [before.abandonedBefore, before.settledBefore, limit],
    );
    return rowCount ?? 0;
  }
}
