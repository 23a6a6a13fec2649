import { describe, expect, it } from '@jest/globals';
import { dayStarts } from './day-starts.js';

const at = (hour: number, minute: number, day = 10) => new Date(2026, 2, day, hour, minute).toISOString();

describe(dayStarts.name, () => {
  it('should start a day at the first message and at every new local day', () => {
    expect(dayStarts([at(23, 58, 9), at(0, 1, 10), at(0, 2, 10), at(9, 0, 12)])).toEqual([
      true,
      true,
      false,
      true,
    ]);
  });

  it('should start nothing for no messages', () => {
    expect(dayStarts([])).toEqual([]);
  });
});
