/** Small timing helpers; monotonic clock everywhere, because wall clocks jump. */

export const now = () => performance.now();

/** @param {number} ms */
export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Polls `check` until it returns true or `timeoutMs` passes; returns whether it became true.
 * Polling (not events) keeps scenario code simple, and 20–50 ms granularity is far below
 * anything these scenarios measure with it.
 * @param {() => boolean} check
 * @param {number} timeoutMs
 * @param {number} [everyMs]
 */
export async function waitUntil(check, timeoutMs, everyMs = 25) {
  const end = now() + timeoutMs;
  while (!check()) {
    if (now() >= end) return false;
    await sleep(everyMs);
  }
  return true;
}

/**
 * Rejects after `ms` unless `promise` settles first: the hard bound every scenario runs under,
 * so a wedged server can never hang the whole benchmark.
 * @template T
 * @param {Promise<T>} promise
 * @param {number} ms
 * @param {string} what
 * @returns {Promise<T>}
 */
export function withTimeout(promise, ms, what) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} timed out after ${Math.round(ms / 1000)} s`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
