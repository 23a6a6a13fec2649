import type Database from 'better-sqlite3';
import { claimOutcome, type IdempotencyRow } from '../idempotency-rows.js';
import type {
  IdempotencyClaim,
  IdempotencyClaimRequest,
  IdempotencyOutcome,
  IdempotencyPruneTimes,
  IdempotencyStore,
} from '../idempotency-store.js';
import { DEFAULT_LOCK_WAIT_MS, whileLocked } from './sqlite-lock-wait.js';

/** The binding may be taken (see IdempotencyStore.claim). */
const FREE = `(h.state = 'pending'
  AND (h.hold_id IS NULL OR h.claimed_at IS NULL OR h.claimed_at < @abandonedBefore))`;

export class SqliteIdempotencyStore implements IdempotencyStore {
  private readonly claimRow;
  private readonly stored;
  private readonly swallowed;
  private readonly releaseRow;
  private readonly pruneRows;

  constructor(
    db: Database.Database,
    private readonly lockWaitMs = DEFAULT_LOCK_WAIT_MS,
  ) {
    // One statement, so the decision and the write are one step under the database's write lock.
    // The SET expressions all read the row as it was.
    this.claimRow = db.prepare<Record<string, string>, IdempotencyRow>(
      `INSERT INTO http_idempotency AS h (user_id, key, fingerprint, created_at, state, hold_id, claimed_at)
       VALUES (@userId, @key, @fingerprint, @now, 'pending', @hold, @now)
       ON CONFLICT (user_id, key) DO UPDATE SET
         fingerprint = CASE WHEN ${FREE} THEN excluded.fingerprint ELSE h.fingerprint END,
         created_at  = CASE WHEN ${FREE} THEN excluded.created_at ELSE h.created_at END,
         hold_id     = CASE WHEN ${FREE} THEN excluded.hold_id ELSE h.hold_id END,
         claimed_at  = CASE WHEN ${FREE} THEN excluded.claimed_at ELSE h.claimed_at END
       RETURNING fingerprint, state, hold_id, claimed_at, replies`,
    );
    this.stored = db.prepare(
      `UPDATE http_idempotency SET state = 'stored', hold_id = NULL, replies = NULL,
         fingerprint = COALESCE(?, fingerprint)
       WHERE user_id = ? AND key = ? AND hold_id = ? AND state = 'pending'`,
    );
    this.swallowed = db.prepare(
      `UPDATE http_idempotency SET state = 'swallowed', hold_id = NULL, replies = ?
       WHERE user_id = ? AND key = ? AND hold_id = ? AND state = 'pending'`,
    );
    this.releaseRow = db.prepare(
      `UPDATE http_idempotency SET hold_id = NULL
       WHERE user_id = ? AND key = ? AND hold_id = ? AND state = 'pending'`,
    );
    // Bounded, so that a backlog never holds the write lock for long (http_idempotency_prune).
    this.pruneRows = db.prepare<Record<string, string | number>>(
      `DELETE FROM http_idempotency WHERE (user_id, key) IN (
         SELECT user_id, key FROM http_idempotency
         WHERE (state = 'pending' AND (hold_id IS NULL OR claimed_at < @abandonedBefore))
            OR (state IN ('stored', 'swallowed') AND claimed_at < @settledBefore)
         LIMIT @limit)`,
    );
  }

  claim(
    userId: string,
    key: string,
    fingerprint: string,
    claim: IdempotencyClaimRequest,
  ): Promise<IdempotencyClaim> {
    return whileLocked(() => {
      const { hold, now, abandonedBefore } = claim;
      const row = this.claimRow.get({ userId, key, fingerprint, hold, now, abandonedBefore });
      if (!row) throw new Error('the idempotency upsert returned no row');
      return claimOutcome(row, fingerprint, claim);
    }, this.lockWaitMs);
  }

  settle(userId: string, key: string, hold: string, outcome: IdempotencyOutcome): Promise<void> {
    return whileLocked(() => {
      if (outcome.stored) this.stored.run(outcome.boundTo ?? null, userId, key, hold);
      else this.swallowed.run(JSON.stringify(outcome.replies), userId, key, hold);
    }, this.lockWaitMs);
  }

  release(userId: string, key: string, hold: string): Promise<void> {
    return whileLocked(() => {
      this.releaseRow.run(userId, key, hold);
    }, this.lockWaitMs);
  }

  prune(before: IdempotencyPruneTimes, limit: number): Promise<number> {
    return whileLocked(() => this.pruneRows.run({ ...before, limit }).changes, this.lockWaitMs);
  }
}
