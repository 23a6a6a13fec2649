/**
 * A token bucket, as servers use to limit rates: `burst` tokens at most, `ratePerSec` new ones a
 * second. A client that spends tokens from its own copy of the server's bucket is never refused.
 * A rate of 0 means unlimited. Time is passed in, so the bucket is pure and testable.
 */
export class TokenBucket {
  private tokens: number;
  private updatedAt: number;

  constructor(
    private readonly ratePerSec: number,
    private readonly burst: number,
    now: number,
  ) {
    this.tokens = this.capacity;
    this.updatedAt = now;
  }

  private get capacity(): number {
    return Math.max(1, this.burst);
  }

  /** Spends a token if there is one; false (and nothing spent) otherwise. */
  take(now: number): boolean {
    if (this.ratePerSec <= 0) return true;
    this.refill(now);
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }

  /** How long until a token is there (0: now). */
  msUntilToken(now: number): number {
    if (this.ratePerSec <= 0) return 0;
    this.refill(now);
    return this.tokens >= 1 ? 0 : Math.ceil(((1 - this.tokens) / this.ratePerSec) * 1000);
  }

  private refill(now: number): void {
    // A clock that steps back (the system time was set) must not drain the bucket.
    const elapsed = Math.max(0, now - this.updatedAt);
    this.tokens = Math.min(this.capacity, this.tokens + (elapsed / 1000) * this.ratePerSec);
    this.updatedAt = now;
  }
}
