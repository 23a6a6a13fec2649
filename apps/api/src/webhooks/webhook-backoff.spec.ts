import { describe, expect, it } from '@jest/globals';
import { webhookBackoffMs } from './webhook-backoff.js';

describe(webhookBackoffMs.name, () => {
  const highest = () => 0.999999;

  it('should double the bound with each failure, up to the cap', () => {
    expect([1, 2, 3, 4].map((n) => webhookBackoffMs(n, 1000, 60_000, highest))).toEqual([
      999, 1999, 3999, 7999,
    ]);
    expect(webhookBackoffMs(20, 1000, 60_000, highest)).toBe(59_999);
  });

  it('should pick a random wait below the bound (full jitter)', () => {
    expect(webhookBackoffMs(3, 1000, 60_000, () => 0)).toBe(0);
    expect(webhookBackoffMs(3, 1000, 60_000, () => 0.5)).toBe(2000);
  });

  it('should not overflow for a large attempt count', () => {
    expect(webhookBackoffMs(10_000, 1000, 3_600_000, highest)).toBeLessThan(3_600_000);
  });
});
