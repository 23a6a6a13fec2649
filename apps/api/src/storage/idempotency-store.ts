/**
 * Which request body each HTTP `Idempotency-Key` is bound to, per user: the message store knows
 * the clientId's message, not the request that asked for it (hooks may have rewritten its text),
 * so a replay with another body is told apart here.
 *
 * A binding is `pending` while the one request that claimed it (its `hold`) is being answered,
 * then settled: `stored` (a message exists under the key) or `swallowed` (a command took it; its
 * replies are kept for a replay). A request that fails releases its hold, and a pending binding
 * nobody holds is free for the next claim: a failure binds nothing. One request holds a key at a
 * time: an identical request meanwhile is told the first is still in flight instead of running
 * its command a second time (the message store dedupes messages, not commands).
 */
export interface IdempotencyStore {
  /**
   * Claims (user, key) for a request with `fingerprint`, in one atomic step:
   * - free (no binding, or a pending one nobody holds or held since before `abandonedBefore`):
   *   bound to this fingerprint, pending, held by `hold`: `new`;
   * - bound to this fingerprint and held by a live request: `in-flight` (nothing changes);
   * - bound to this fingerprint otherwise: `same` (a swallowed binding's `replies` to answer again);
   * - bound to another one: `conflict` (`inFlight` while that binding is held by a live request).
   */
  claim(
    userId: string,
    key: string,
    fingerprint: string,
    claim: IdempotencyClaimRequest,
  ): Promise<IdempotencyClaim>;
  /**
   * The request holding the key was answered with a stored message (kept until pruned; with
   * `boundTo`, the key is bound to that fingerprint instead of the request's) or swallowed with
   * `replies`. Nothing changes unless `hold` still holds the key.
   */
  settle(userId: string, key: string, hold: string, outcome: IdempotencyOutcome): Promise<void>;
  /** The request failed: it lets go of the key. Nothing changes unless `hold` still holds it. */
  release(userId: string, key: string, hold: string): Promise<void>;
  /**
   * Deletes up to `limit` bindings nobody needs: pending ones released or claimed before
   * `abandonedBefore`, settled ones claimed before `settledBefore`. Resolves with how many.
   */
  prune(before: IdempotencyPruneTimes, limit: number): Promise<number>;
}

export interface IdempotencyClaimRequest {
  /** This request's own id for its hold (a fresh UUID): settle and release name it. */
  hold: string;
  /** ISO time of this claim. */
  now: string;
  /** ISO time: a pending binding claimed before it is abandoned (its holder crashed). */
  abandonedBefore: string;
}

export type IdempotencyClaim =
  | { status: 'new' }
  | { status: 'in-flight' }
  | { status: 'same'; replies?: readonly string[] }
  | { status: 'conflict'; inFlight: boolean };

export type IdempotencyOutcome =
  { stored: true; boundTo?: string } | { stored: false; replies: readonly string[] };

export interface IdempotencyPruneTimes {
  /** ISO time: a pending binding claimed before it was abandoned. */
  abandonedBefore: string;
  /** ISO time: a settled binding claimed before it is past its retention. */
  settledBefore: string;
}

export const IDEMPOTENCY_STORE = Symbol('IdempotencyStore');
