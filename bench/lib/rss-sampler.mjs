/**
 * Samples a server's RSS on a timer and keeps the maximum: memory held for a slow client is
 * released when it is dropped, so a before/after pair would miss the peak.
 * @param {import('./server-process.mjs').ServerProcess} server
 * @param {number} everyMs
 */
export function startRssSampler(server, everyMs) {
  let max = server.rssKiB() ?? 0;
  const timer = setInterval(() => {
    const rss = server.rssKiB();
    if (rss !== null && rss > max) max = rss;
  }, everyMs);
  return {
    /** Stops sampling; returns the maximum RSS seen, in KiB. */
    stop() {
      clearInterval(timer);
      const rss = server.rssKiB();
      return rss !== null && rss > max ? rss : max;
    },
  };
}
