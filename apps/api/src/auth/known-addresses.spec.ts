import { describe, expect, it } from '@jest/globals';
import { KnownAddresses } from './known-addresses.js';

describe(KnownAddresses.name, () => {
  it('should know an address for its account until the time is up', () => {
    let now = 0;
    const sut = new KnownAddresses(1000, 10, () => now);
    sut.remember('alice', '10.0.0.1');
    expect(sut.has('alice', '10.0.0.1')).toBe(true);
    expect(sut.has('alice', '10.0.0.2')).toBe(false);
    expect(sut.has('bob', '10.0.0.1')).toBe(false);
    now = 1000;
    expect(sut.has('alice', '10.0.0.1')).toBe(false);
  });

  it('should forget the least recently seen entry past its size', () => {
    const sut = new KnownAddresses(1000, 2, () => 0);
    sut.remember('a', 'ip');
    sut.remember('b', 'ip');
    sut.remember('a', 'ip'); // seen again: now the newest
    sut.remember('c', 'ip');
    expect([sut.has('a', 'ip'), sut.has('b', 'ip'), sut.has('c', 'ip')]).toEqual([true, false, true]);
  });
});
