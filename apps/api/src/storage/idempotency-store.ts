/**
 * Which request body each HTTP `Idempotency-Key` is bound to, per user: the message store knows
 * the clientId's message, not the request that asked for it (hooks may have rewritten its text),
 * so a replay with another body is told apart here.
 *
 * A binding is `pending` while requests with its body are being answered (`holders` of them),
 * then settled: `stored` (a message exists under the key) or `swallowed` (a command took it; its
 * replies are kept for a replay). A request that fails releases its hold, and a pending binding
 * nobody holds is free for the next claim: a failure binds nothing. Holders are counted, not
 * timed, so that a failure of one of two identical requests never frees the key while the other
 * may still store its message (and a third body could then pass for it).
 */
export interface IdempotencyStore {
  /**
   * Claims (user, key) for a request with `fingerprint`, in one atomic step:
   * - free (no binding; with `freeBefore`, a pending one nobody holds or last claimed before it):
   *   bound to this fingerprint, pending, this request its one holder: `new`;
   * - bound to this fingerprint: `same` (one holder more while pending; a swallowed binding's
   *   `replies` to answer again);
   * - bound to another one: `conflict` (`inFlight` while that binding is pending).
   * Without `freeBefore` nothing is taken over, for a key that names a stored message already.
   */
  claim(
    userId: string,
    key: string,
    fingerprint: string,
    at: IdempotencyClaimTimes,
  ): Promise<IdempotencyClaim>;
  /** The request was answered with a stored message (kept for good) or swallowed with `replies`. */
  settle(userId: string, key: string, fingerprint: string, outcome: IdempotencyOutcome): Promise<void>;
  /** The request failed: one holder less. A settled binding is never released. */
  release(userId: string, key: string, fingerprint: string): Promise<void>;
}

export interface IdempotencyClaimTimes {
  /** ISO time of this claim. */
  now: string;
  /** ISO time: a pending binding last claimed before it is abandoned (its holder crashed). */
  freeBefore?: string;
}

export type IdempotencyClaim =
  | { status: 'new' }
  | { status: 'same'; replies?: readonly string[] }
  | { status: 'conflict'; inFlight: boolean };

export type IdempotencyOutcome = { stored: true } | { stored: false; replies: readonly string[] };

export const IDEMPOTENCY_STORE = Symbol('IdempotencyStore');
