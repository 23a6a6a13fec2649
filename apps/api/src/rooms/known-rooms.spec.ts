import { describe, expect, it } from '@jest/globals';
import { KnownRooms } from './known-rooms.js';

describe(KnownRooms.name, () => {
  it('should remember a room once added, and nothing it was not told', () => {
    const sut = new KnownRooms();
    sut.add('bench');
    expect(sut.has('bench')).toBe(true);
    expect(sut.has('other')).toBe(false);
  });

  it('should drop the oldest name first when full', () => {
    const sut = new KnownRooms(2);
    sut.add('a');
    sut.add('b');
    sut.add('a'); // already known: does not count twice
    sut.add('c');
    expect([sut.has('a'), sut.has('b'), sut.has('c')]).toEqual([false, true, true]);
  });

  it('should forget a name', () => {
    const sut = new KnownRooms();
    sut.add('a');
    sut.forget('a');
    expect(sut.has('a')).toBe(false);
  });
});
