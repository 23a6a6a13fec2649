/**
 * A token bucket: `burst` tokens to start with, refilled at `ratePerSec`. Each allowed event
 * takes one. A rate of 0 means no limit.
 */
export class TokenBucket {
  private tokens: number;
  private updatedAt: number;

  constructor(
    private readonly ratePerSec: number,
    private readonly burst: number,
    private readonly now: () => number = Date.now,
  ) {
    this.tokens = Math.max(1, burst);
    this.updatedAt = now();
  }

  take(): boolean {
    return this.takeOrWait() === 0;
  }

  /** Takes a token and returns 0, or takes none and returns the milliseconds until one is there. */
  takeOrWait(): number {
    if (this.ratePerSec <= 0) return 0;
    const now = this.now();
    const capacity = Math.max(1, this.burst);
    this.tokens = Math.min(capacity, this.tokens + ((now - this.updatedAt) / 1000) * this.ratePerSec);
    this.updatedAt = now;
    if (this.tokens < 1) return Math.max(1, Math.ceil(((1 - this.tokens) / this.ratePerSec) * 1000));
    this.tokens -= 1;
    return 0;
  }
}
