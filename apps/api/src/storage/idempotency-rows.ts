import type { IdempotencyClaim, IdempotencyClaimRequest } from './idempotency-store.js';

/** An http_idempotency row as a claim returns it (both engines: the same columns and types). */
export interface IdempotencyRow {
  fingerprint: string;
  state: 'pending' | 'stored' | 'swallowed';
  hold_id: string | null;
  claimed_at: string | null;
  replies: string | null;
}

/** What a claim's row says to the request that claimed it. */
export function claimOutcome(
  row: IdempotencyRow,
  fingerprint: string,
  claim: IdempotencyClaimRequest,
): IdempotencyClaim {
  // Compared by hold, not by time: two claims in the same millisecond must not both be `new`.
  if (row.hold_id === claim.hold) return { status: 'new' };
  const live =
    row.state === 'pending' &&
    row.hold_id !== null &&
    row.claimed_at !== null &&
    row.claimed_at >= claim.abandonedBefore;
  if (row.fingerprint !== fingerprint) return { status: 'conflict', inFlight: live };
  if (live) return { status: 'in-flight' };
  if (row.state === 'swallowed')
    return { status: 'same', replies: JSON.parse(row.replies ?? '[]') as string[] };
  return { status: 'same' };
}
