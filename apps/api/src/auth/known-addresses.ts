/**
 * Addresses each account signed in from successfully, lately: a username-wide lockout (many
 * failures from many addresses) does not apply to them, so an attacker cannot lock the real user
 * out of a place they use. In memory, per instance, bounded: the oldest entries go first.
 */
export class KnownAddresses {
  /** `username|ip` -> when it last signed in; Map order is insertion order, refreshed on each success. */
  private readonly seen = new Map<string, number>();

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries = 100_000,
    private readonly now: () => number = Date.now,
  ) {}

  remember(username: string, ip: string): void {
    const key = `${username}|${ip}`;
    this.seen.delete(key);
    this.seen.set(key, this.now());
    if (this.seen.size > this.maxEntries) {
      const oldest = this.seen.keys().next();
      if (!oldest.done) this.seen.delete(oldest.value);
    }
  }

  has(username: string, ip: string): boolean {
    const at = this.seen.get(`${username}|${ip}`);
    return at !== undefined && this.now() - at < this.ttlMs;
  }
}
