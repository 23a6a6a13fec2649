import { describe, expect, it } from '@jest/globals';
import { backoffDelay } from './backoff.js';

const ceilingOf = (attempt: number, options = {}) => backoffDelay(attempt, options, () => 0.999999) + 1;

describe(backoffDelay.name, () => {
  it('should grow the ceiling exponentially from the base', () => {
    const options = { baseMs: 100, maxMs: 10_000, fastAttempts: 0 };
    expect([0, 1, 2, 3].map((attempt) => ceilingOf(attempt, options))).toEqual([100, 200, 400, 800]);
  });

  it('should hold the first retries at 2 s, so a restarted server is found within about two seconds', () => {
    expect([0, 1, 2, 3, 7].map((attempt) => ceilingOf(attempt))).toEqual([500, 1000, 2000, 2000, 2000]);
  });

  it('should back off further once the outage is longer than a restart', () => {
    expect([8, 9, 30].map((attempt) => ceilingOf(attempt))).toEqual([10_000, 10_000, 10_000]);
  });

  it('should never exceed the cap, even after many attempts', () => {
    expect(backoffDelay(1000, { baseMs: 100, maxMs: 5_000 }, () => 0.999999)).toBeLessThan(5_000);
    expect(backoffDelay(3, { maxMs: 1_000 }, () => 0.999999)).toBeLessThan(1_000);
  });

  it('should spread waits over [0, ceiling) (full jitter)', () => {
    expect(backoffDelay(3, { baseMs: 100, maxMs: 10_000, fastAttempts: 0 }, () => 0)).toBe(0);
    expect(backoffDelay(3, { baseMs: 100, maxMs: 10_000, fastAttempts: 0 }, () => 0.5)).toBe(400);
  });
});
