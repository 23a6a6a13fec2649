import { describe, expect, it } from '@jest/globals';
import { dayKey, formatClock, formatDay } from './format.js';

/** A local time (not UTC), so the tests hold in every time zone. */
const local = (year: number, month: number, day: number, hour = 12, minute = 0) =>
  new Date(year, month - 1, day, hour, minute);

describe(formatDay.name, () => {
  const now = local(2026, 3, 10, 9, 30);

  it('should say Today and Yesterday by the local calendar, not by 24-hour spans', () => {
    expect(formatDay(local(2026, 3, 10, 0, 1).toISOString(), now)).toBe('Today');
    expect(formatDay(local(2026, 3, 9, 23, 59).toISOString(), now)).toBe('Yesterday');
    expect(formatDay(local(2026, 3, 9, 0, 0).toISOString(), now)).toBe('Yesterday');
  });

  it('should name older days by weekday and date, with the year only when it differs', () => {
    const thisYear = formatDay(local(2026, 3, 2).toISOString(), now);
    expect(thisYear).toContain('2');
    expect(thisYear).not.toContain('2026');
    expect(formatDay(local(2025, 12, 31).toISOString(), now)).toContain('2025');
  });

  it('should handle the turn of a year for Yesterday', () => {
    expect(formatDay(local(2025, 12, 31, 22).toISOString(), local(2026, 1, 1, 1))).toBe('Yesterday');
  });
});

describe(dayKey.name, () => {
  it('should be equal for two times on the same local day and differ across midnight', () => {
    expect(dayKey(local(2026, 3, 10, 0, 0))).toBe(dayKey(local(2026, 3, 10, 23, 59)));
    expect(dayKey(local(2026, 3, 10, 23, 59))).not.toBe(dayKey(local(2026, 3, 11, 0, 0)));
  });
});

describe(formatClock.name, () => {
  it('should show the local time as HH:MM:SS, 24-hour', () => {
    expect(formatClock(new Date(2026, 2, 10, 14, 5, 9).toISOString())).toBe('14:05:09');
    expect(formatClock(new Date(2026, 2, 10, 9, 0, 0).toISOString())).toBe('09:00:00');
  });
});
