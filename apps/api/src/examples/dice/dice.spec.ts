import { describe, expect, it } from '@jest/globals';
import { BadRequestError } from '../../common/errors/chat-errors.js';
import { roll } from './dice.js';

describe(roll.name, () => {
  const loaded = (sides: number) => sides; // every die shows its highest face

  it('should roll NdM, and d20 as one die', () => {
    expect(roll('2d6', loaded)).toEqual({ dice: 2, sides: 6, rolls: [6, 6], total: 12 });
    expect(roll('D20', loaded)).toMatchObject({ dice: 1, sides: 20, total: 20 });
  });

  it('should refuse what is not NdM within the bounds with the usage', () => {
    for (const spec of ['', '2', '0d6', '21d6', '2d1', '2d1001', '2d6+1']) {
      expect(() => roll(spec, loaded)).toThrow(BadRequestError);
    }
  });

  it('should stay within 1..M with the real dice', () => {
    const { rolls } = roll('20d6');
    expect(rolls.every((value) => value >= 1 && value <= 6)).toBe(true);
  });
});
