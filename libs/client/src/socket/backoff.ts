export interface BackoffOptions {
  /** First retry waits up to this long. Default 500 ms. */
  baseMs?: number;
  /**
   * No retry waits longer than this. Default 10 s: a server back after a long outage is found
   * within seconds, and the jitter still spreads a crowd over the whole interval.
   */
  maxMs?: number;
  /**
   * The first this many retries wait at most {@link fastMaxMs}. Default 8: about the first ten
   * seconds of an outage, longer than a server takes to restart, so the client is back within
   * about two seconds of the server after a restart or a deploy.
   */
  fastAttempts?: number;
  /** The cap of those first retries. Default 2 s. */
  fastMaxMs?: number;
}

export const DEFAULT_BACKOFF = { baseMs: 500, maxMs: 10_000, fastAttempts: 8, fastMaxMs: 2_000 } as const;

/**
 * Capped exponential backoff with full jitter: a random wait in [0, ceiling), the ceiling
 * doubling from `baseMs` up to `maxMs`, but held at `fastMaxMs` for the first `fastAttempts`
 * retries (a restart is short: finding the server soon after it is back matters more than a few
 * refused connects to a server that is down). The jitter spreads out a crowd of clients that lost the same
 * server at the same moment.
 */
export function backoffDelay(attempt: number, options: BackoffOptions = {}, random = Math.random): number {
  const { baseMs, maxMs, fastAttempts, fastMaxMs } = { ...DEFAULT_BACKOFF, ...options };
  const exponential = baseMs * 2 ** Math.min(attempt, 30);
  const ceiling = Math.min(maxMs, attempt < fastAttempts ? Math.min(fastMaxMs, exponential) : exponential);
  return Math.floor(random() * ceiling);
}
