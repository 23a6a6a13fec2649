import { describe, expect, it } from '@jest/globals';
import { AbuseMeter } from './abuse-meter.js';
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

  it('should never refuse with a rate of 0', () => {
    const sut = new TokenBucket(0, 0);
    expect(Array.from({ length: 1000 }, () => sut.take()).every(Boolean)).toBe(true);
  });
});

describe(AbuseMeter.name, () => {
  it('should call a connection abusive past the strikes allowed within 10 s', () => {
    const now = 0;
    const sut = new AbuseMeter(3, () => now);
    expect([sut.strike(), sut.strike(), sut.strike(), sut.strike()]).toEqual([false, false, false, true]);
  });

  it('should forgive strikes from an earlier window', () => {
    let now = 0;
    const sut = new AbuseMeter(2, () => now);
    sut.strike();
    sut.strike();
    now = 10_000;
    expect(sut.strike()).toBe(false);
  });

  it('should never call anyone abusive with 0 strikes allowed', () => {
    const sut = new AbuseMeter(0);
    expect(Array.from({ length: 100 }, () => sut.strike()).some(Boolean)).toBe(false);
  });
});
