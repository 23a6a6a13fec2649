import { dayKey } from '../lib/time/format.js';

/** What grouping needs to know of a message (acknowledged or still pending). */
export interface Groupable {
  userId: string;
  time: string;
}

export interface GroupFlags {
  /** First message of a local day: a day separator goes before it. */
  dayStart: boolean;
  /** Same author as the message before, shortly after it: shown without a repeated header. */
  continued: boolean;
}

/** Messages this close to the previous one by the same author read as one burst. */
export const GROUP_WITHIN_MS = 5 * 60_000;

export function groupFlags(items: Groupable[]): GroupFlags[] {
  return items.map((item, index) => {
    const previous = items[index - 1];
    const dayStart = !previous || dayKey(previous.time) !== dayKey(item.time);
    const gap = previous ? Date.parse(item.time) - Date.parse(previous.time) : Infinity;
    const continued = !dayStart && previous?.userId === item.userId && gap >= 0 && gap < GROUP_WITHIN_MS;
    return { dayStart, continued };
  });
}
