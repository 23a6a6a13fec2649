export interface BackoffOptions {
  /** First retry waits up to this long. Default 500 ms. */
  baseMs?: number;
  /**
   * No retry waits longer than this. Default 10 s: a server back after a restart is found within
   * seconds, and the jitter still spreads a crowd over the whole interval.
   */
  maxMs?: number;
}

export const DEFAULT_BACKOFF = { baseMs: 500, maxMs: 10_000 } as const;

/**
 * Capped exponential backoff with full jitter: a random wait in [0, min(max, base * 2^attempt)].
 * The jitter spreads out a crowd of clients that lost the same server at the same moment.
 */
export function backoffDelay(attempt: number, options: BackoffOptions = {}, random = Math.random): number {
  const { baseMs, maxMs } = { ...DEFAULT_BACKOFF, ...options };
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.min(attempt, 30));
  return Math.floor(random() * ceiling);
}
