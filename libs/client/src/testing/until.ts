/**
 * Resolves once `check()` holds, polling: for state that lives outside React (a socket's, a
 * session's), where no event says "now". The limit is generous because a CI machine under load
 * (2 cores, load 10+) runs a real reconnect many times slower than a laptop; a check that never
 * holds still fails.
 */
export async function until(check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
