/** Window over which refusals count towards closing a connection. */
const WINDOW_MS = 10_000;

/**
 * Counts refusals (rate-limited frames) in a fixed 10 s window. A client that keeps pushing
 * after being told to slow down is abusive, not unlucky: past `maxStrikes` it gets cut off.
 */
export class AbuseMeter {
  private strikes = 0;
  private windowStart: number;

  constructor(
    private readonly maxStrikes: number,
    private readonly now: () => number = Date.now,
  ) {
    this.windowStart = now();
  }

  /** Records a refusal; true when the connection should now be closed (1008). */
  strike(): boolean {
    const now = this.now();
    if (now - this.windowStart >= WINDOW_MS) {
      this.windowStart = now;
      this.strikes = 0;
    }
    this.strikes++;
    return this.maxStrikes > 0 && this.strikes > this.maxStrikes;
  }
}
