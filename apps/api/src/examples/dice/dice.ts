import { randomInt } from 'node:crypto';
import { BadRequestError } from '../../common/errors/chat-errors.js';

/** Bounds that keep a roll's answer one short line. */
export const MAX_DICE = 20;
export const MAX_SIDES = 1000;

export interface Roll {
  dice: number;
  sides: number;
  rolls: number[];
  total: number;
}

/** Parses `NdM` (`2d6`; `d20` is one die) and rolls it; BadRequestError says the usage. */
export function roll(
  spec: string,
  random: (sides: number) => number = (sides) => randomInt(1, sides + 1),
): Roll {
  const match = /^(\d{0,2})d(\d{1,4})$/i.exec(spec.trim());
  const dice = match ? Number(match[1] || '1') : NaN;
  const sides = match ? Number(match[2]) : NaN;
  if (!(dice >= 1 && dice <= MAX_DICE && sides >= 2 && sides <= MAX_SIDES)) {
    throw new BadRequestError(
      `usage: /roll NdM, with 1-${MAX_DICE} dice of 2-${MAX_SIDES} sides (e.g. /roll 2d6)`,
    );
  }
  const rolls = Array.from({ length: dice }, () => random(sides));
  return { dice, sides, rolls, total: rolls.reduce((sum, value) => sum + value, 0) };
}
