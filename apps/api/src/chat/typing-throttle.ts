/** At most one typing notice per user per room per interval; extra ones are dropped. */
export class TypingThrottle {
  private readonly last = new Map<string, number>();

  constructor(private readonly intervalMs = 2000) {}

  allow(userId: string, room: string, now = Date.now()): boolean {
    const key = `${userId}\u0000${room}`;
    const previous = this.last.get(key);
    if (previous !== undefined && now - previous < this.intervalMs) return false;
    this.last.set(key, now);
    if (this.last.size > 10_000) this.forgetOlderThan(now - this.intervalMs);
    return true;
  }

  private forgetOlderThan(cutoff: number): void {
    for (const [key, time] of this.last) if (time < cutoff) this.last.delete(key);
  }
}
