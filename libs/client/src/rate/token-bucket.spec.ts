import { describe, expect, it } from '@jest/globals';
import { TokenBucket } from './token-bucket.js';

describe(TokenBucket.name, () => {
  it('should give a full burst at once, then tokens at the rate', () => {
    const bucket = new TokenBucket(10, 3, 0);
    expect([bucket.take(0), bucket.take(0), bucket.take(0), bucket.take(0)]).toEqual([
      true,
      true,
      true,
      false,
    ]);
    expect(bucket.msUntilToken(0)).toBe(100);
    expect(bucket.take(99)).toBe(false);
    expect(bucket.take(100)).toBe(true);
    expect(bucket.msUntilToken(150)).toBe(50);
  });

  it('should never hold more than the burst, however long it waited', () => {
    const bucket = new TokenBucket(10, 2, 0);
    const taken = Array.from({ length: 5 }, () => bucket.take(60_000)).filter(Boolean);
    expect(taken).toHaveLength(2);
  });

  it('should be unlimited at rate 0', () => {
    const bucket = new TokenBucket(0, 0, 0);
    expect(Array.from({ length: 1000 }, () => bucket.take(0)).every(Boolean)).toBe(true);
    expect(bucket.msUntilToken(0)).toBe(0);
  });

  it('should not drain when the clock steps back', () => {
    const bucket = new TokenBucket(1, 1, 10_000);
    expect(bucket.take(10_000)).toBe(true);
    expect(bucket.take(5_000)).toBe(false);
    expect(bucket.take(6_000)).toBe(true);
  });
});
