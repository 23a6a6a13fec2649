import { dayKey } from '../lib/time/format.js';

/** For each message (acknowledged or pending, by time): does a local day start there? */
export function dayStarts(times: readonly string[]): boolean[] {
  return times.map((time, index) => index === 0 || dayKey(times[index - 1]!) !== dayKey(time));
}
