/**
 * How long to wait before attempt `attempts + 1` after `attempts` failures: "full jitter"
 * exponential backoff, a random time up to min(max, base * 2^(attempts-1)). The randomness
 * spreads retries of many streams that failed together (a receiver that was down) over time.
 */
export function webhookBackoffMs(
  attempts: number,
  baseMs: number,
  maxMs: number,
  random = Math.random,
): number {
  const bound = Math.min(maxMs, baseMs * 2 ** Math.min(30, Math.max(0, attempts - 1)));
  return Math.floor(random() * bound);
}
