import type Database from 'better-sqlite3';
import { claimOutcome, type IdempotencyRow } from '../idempotency-rows.js';
import type {
  IdempotencyClaim,
  IdempotencyClaimTimes,
  IdempotencyOutcome,
  IdempotencyStore,
} from '../idempotency-store.js';
import { DEFAULT_LOCK_WAIT_MS, whileLocked } from './sqlite-lock-wait.js';

/** The binding may be taken over (see IdempotencyStore.claim); `@freeBefore` NULL: never. */
const FREE = `(@freeBefore IS NOT NULL AND h.state = 'pending'
  AND (h.holders <= 0 OR h.claimed_at IS NULL OR h.claimed_at < @freeBefore))`;
const SAME_PENDING = `(h.state = 'pending' AND h.fingerprint = excluded.fingerprint)`;

export class SqliteIdempotencyStore implements IdempotencyStore {
  private readonly claimRow;
  private readonly stored;
  private readonly swallowed;
  private readonly releaseRow;

  constructor(
    db: Database.Database,
    private readonly lockWaitMs = DEFAULT_LOCK_WAIT_MS,
  ) {
    // One statement, so the decision and the write are one step under the database's write lock.
    // The SET expressions all read the row as it was.
    this.claimRow = db.prepare<Record<string, string | null>, IdempotencyRow>(
      `INSERT INTO http_idempotency AS h (user_id, key, fingerprint, created_at, state, holders, claimed_at)
       VALUES (@userId, @key, @fingerprint, @now, 'pending', 1, @now)
       ON CONFLICT (user_id, key) DO UPDATE SET
         fingerprint = CASE WHEN ${FREE} THEN excluded.fingerprint ELSE h.fingerprint END,
         created_at  = CASE WHEN ${FREE} THEN excluded.created_at ELSE h.created_at END,
         holders     = CASE WHEN ${FREE} THEN 1 WHEN ${SAME_PENDING} THEN h.holders + 1 ELSE h.holders END,
         claimed_at  = CASE WHEN ${FREE} OR ${SAME_PENDING} THEN excluded.claimed_at ELSE h.claimed_at END
       RETURNING fingerprint, state, holders, replies`,
    );
    // A stored message wins over a swallow a concurrent identical request saw.
    this.stored = db.prepare(
      `UPDATE http_idempotency SET state = 'stored', holders = 0, replies = NULL
       WHERE user_id = ? AND key = ? AND fingerprint = ?`,
    );
    this.swallowed = db.prepare(
      `UPDATE http_idempotency SET state = 'swallowed', holders = 0, replies = ?
       WHERE user_id = ? AND key = ? AND fingerprint = ? AND state = 'pending'`,
    );
    this.releaseRow = db.prepare(
      `UPDATE http_idempotency SET holders = holders - 1
       WHERE user_id = ? AND key = ? AND fingerprint = ? AND state = 'pending' AND holders > 0`,
    );
  }

  claim(
    userId: string,
    key: string,
    fingerprint: string,
    at: IdempotencyClaimTimes,
  ): Promise<IdempotencyClaim> {
    return whileLocked(() => {
      const row = this.claimRow.get({
        userId,
        key,
        fingerprint,
        now: at.now,
        freeBefore: at.freeBefore ?? null,
      });
      if (!row) throw new Error('the idempotency upsert returned no row');
      return claimOutcome(row, fingerprint);
    }, this.lockWaitMs);
  }

  settle(userId: string, key: string, fingerprint: string, outcome: IdempotencyOutcome): Promise<void> {
    return whileLocked(() => {
      if (outcome.stored) this.stored.run(userId, key, fingerprint);
      else this.swallowed.run(JSON.stringify(outcome.replies), userId, key, fingerprint);
    }, this.lockWaitMs);
  }

  release(userId: string, key: string, fingerprint: string): Promise<void> {
    return whileLocked(() => {
      this.releaseRow.run(userId, key, fingerprint);
    }, this.lockWaitMs);
  }
}
