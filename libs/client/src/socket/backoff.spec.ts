import { describe, expect, it } from '@jest/globals';
import { backoffDelay } from './backoff.js';

describe(backoffDelay.name, () => {
  it('should grow the ceiling exponentially from the base', () => {
    const ceiling = (attempt: number) =>
      backoffDelay(attempt, { baseMs: 100, maxMs: 10_000 }, () => 0.999999);
    expect([0, 1, 2, 3].map(ceiling)).toEqual([99, 199, 399, 799]);
  });

  it('should never exceed the cap, even after many attempts', () => {
    expect(backoffDelay(1000, { baseMs: 100, maxMs: 5_000 }, () => 0.999999)).toBeLessThan(5_000);
  });

  it('should cap waits at 10 s by default, so a server that is back is found within seconds', () => {
    expect(backoffDelay(50, {}, () => 0.999999)).toBeLessThan(10_000);
    expect(backoffDelay(50, {}, () => 0.999999)).toBeGreaterThan(9_000);
  });

  it('should spread waits over [0, ceiling) (full jitter)', () => {
    expect(backoffDelay(3, { baseMs: 100, maxMs: 10_000 }, () => 0)).toBe(0);
    expect(backoffDelay(3, { baseMs: 100, maxMs: 10_000 }, () => 0.5)).toBe(400);
  });
});
