/**
 * Times as the reader's own clock shows them: the server sends ISO-8601 UTC, the browser's
 * locale and time zone decide how it reads.
 */

// One formatter each, made once: `toLocaleString` builds a new one on every call, and a long
// room formats thousands of times (it was most of the time a 10,000-message room took to page in).
const CLOCK = new Intl.DateTimeFormat('en-GB', {
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hour12: false,
});
const SHORT_CLOCK = new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', hour12: false });
const FULL = new Intl.DateTimeFormat([], { dateStyle: 'full', timeStyle: 'medium' });

/** "14:05:09" in the reader's time zone: the reference client's `[HH:MM:SS]`. */
export function formatClock(iso: string): string {
  return CLOCK.format(new Date(iso));
}

/** "14:05" in the reader's time zone: a message header's time (seconds are in its tooltip). */
export function formatShortClock(iso: string): string {
  return SHORT_CLOCK.format(new Date(iso));
}

/** Date and time with seconds, for a tooltip or a screen reader. */
export function formatFullTime(iso: string): string {
  return FULL.format(new Date(iso));
}

/** The local calendar day of a time, comparable with `===`. */
export function dayKey(iso: string | Date): string {
  return new Date(iso).toDateString();
}

/** A day separator's label: "Today", "Yesterday", or the date (with the year when not this one). */
export function formatDay(iso: string, now: Date = new Date()): string {
  const day = new Date(iso);
  if (dayKey(day) === dayKey(now)) return 'Today';
  const yesterday = new Date(now);
  yesterday.setDate(now.getDate() - 1);
  if (dayKey(day) === dayKey(yesterday)) return 'Yesterday';
  return day.toLocaleDateString([], {
    weekday: 'long',
    month: 'long',
    day: 'numeric',
    ...(day.getFullYear() !== now.getFullYear() && { year: 'numeric' }),
  });
}
