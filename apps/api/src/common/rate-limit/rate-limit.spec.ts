import { describe, expect, it } from '@jest/globals';
import { TokenBucket } from './token-bucket.js';

describe(TokenBucket.name, () => {
  it('should allow a burst, then the rate', () => {
    let now = 0;
    const sut = new TokenBucket(10, 5, () => now);
    expect(Array.from({ length: 6 }, () => sut.take())).toEqual([true, true, true, true, true, false]);
    now = 100; // one token per 100 ms at 10/s
    expect(sut.take()).toBe(true);
    expect(sut.take()).toBe(false);
  });

  it('should not save up more than the burst', () => {
    let now = 0;
    const sut = new TokenBucket(10, 3, () => now);
    now = 60_000;
    expect(Array.from({ length: 4 }, () => sut.take())).toEqual([true, true, true, false]);
  });

  it('should say how long until the next token when it has none', () => {
    let now = 0;
    const sut = new TokenBucket(10, 1, () => now);
    expect(sut.takeOrWait()).toBe(0);
    expect(sut.takeOrWait()).toBe(100);
    now = 40;
    expect(sut.takeOrWait()).toBe(60);
    now = 100;
    expect(sut.takeOrWait()).toBe(0);
  });

  it('should never refuse with a rate of 0', () => {
    const sut = new TokenBucket(0, 0);
    expect(Array.from({ length: 1000 }, () => sut.take()).every(Boolean)).toBe(true);
  });
});
