import { formatFullTime, formatShortClock } from '../../lib/time/format.js';

/**
 * A message's time: "14:05" on screen (in a group's later lines only on hover or focus), the
 * full date and time in the tooltip; always in the text, so screen readers read it (hiding is
 * by opacity, never display:none).
 */
export function MessageTime({ time, className = 'message__time' }: { time: string; className?: string }) {
  return (
    <time className={className} dateTime={time} title={formatFullTime(time)}>
      {formatShortClock(time)}
    </time>
  );
}
