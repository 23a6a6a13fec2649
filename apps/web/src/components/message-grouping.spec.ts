import { describe, expect, it } from '@jest/globals';
import { groupFlags } from './message-grouping.js';

const at = (hour: number, minute: number, day = 10) => new Date(2026, 2, day, hour, minute).toISOString();

describe(groupFlags.name, () => {
  it('should start a day at the first message and at every new local day', () => {
    const flags = groupFlags([
      { userId: 'a', time: at(23, 58, 9) },
      { userId: 'a', time: at(0, 1, 10) },
      { userId: 'a', time: at(0, 2, 10) },
    ]);
    expect(flags.map((f) => f.dayStart)).toEqual([true, true, false]);
    // A new day always repeats the header, even for the same author a few minutes later.
    expect(flags.map((f) => f.continued)).toEqual([false, false, true]);
  });

  it('should group a burst by one author and break it for another author or a long pause', () => {
    const flags = groupFlags([
      { userId: 'a', time: at(10, 0) },
      { userId: 'a', time: at(10, 4) },
      { userId: 'b', time: at(10, 5) },
      { userId: 'a', time: at(10, 6) },
      { userId: 'a', time: at(10, 30) },
    ]);
    expect(flags.map((f) => f.continued)).toEqual([false, true, false, false, false]);
  });

  it('should not group a message that is older than the one before it', () => {
    const flags = groupFlags([
      { userId: 'a', time: at(10, 5) },
      { userId: 'a', time: at(10, 1) },
    ]);
    expect(flags[1]!.continued).toBe(false);
  });
});
