/**
 * Counts events per key in fixed windows (e.g. sign-in attempts per IP per minute). Old windows
 * are forgotten as keys are touched, and swept when the map grows, so memory stays bounded.
 */
export class FixedWindowCounter {
  private readonly windows = new Map<string, { start: number; count: number }>();

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Counts one event for `key`; false when the key is over its limit (0: no limit). */
  hit(key: string): { allowed: boolean; retryAfterMs: number } {
    if (this.limit <= 0) return { allowed: true, retryAfterMs: 0 };
    const now = this.now();
    let window = this.windows.get(key);
    if (!window || now - window.start >= this.windowMs) {
      window = { start: now, count: 0 };
      this.windows.set(key, window);
      if (this.windows.size > 100_000) this.sweep(now);
    }
    window.count++;
    return { allowed: window.count <= this.limit, retryAfterMs: window.start + this.windowMs - now };
  }

  /** Whether `key` is over its limit in the current window, without counting an event. */
  isOver(key: string): { over: boolean; retryAfterMs: number } {
    const window = this.windows.get(key);
    const now = this.now();
    if (this.limit <= 0 || !window || now - window.start >= this.windowMs)
      return { over: false, retryAfterMs: 0 };
    return { over: window.count >= this.limit, retryAfterMs: window.start + this.windowMs - now };
  }

  private sweep(now: number): void {
    for (const [key, window] of this.windows)
      if (now - window.start >= this.windowMs) this.windows.delete(key);
  }
}
