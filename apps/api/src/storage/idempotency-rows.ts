import type { IdempotencyClaim } from './idempotency-store.js';

/** An http_idempotency row as a claim returns it (both engines: the same columns and types). */
export interface IdempotencyRow {
  fingerprint: string;
  state: 'pending' | 'stored' | 'swallowed';
  holders: number;
  replies: string | null;
}

/** What a claim's row says to the request that claimed it. */
export function claimOutcome(row: IdempotencyRow, fingerprint: string): IdempotencyClaim {
  if (row.fingerprint !== fingerprint) return { status: 'conflict', inFlight: row.state === 'pending' };
  // A pending binding with one holder was free a moment ago: this request is its holder.
  if (row.state === 'pending' && Number(row.holders) === 1) return { status: 'new' };
  if (row.state === 'swallowed')
    return { status: 'same', replies: JSON.parse(row.replies ?? '[]') as string[] };
  return { status: 'same' };
}
