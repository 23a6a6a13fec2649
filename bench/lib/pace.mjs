import { now } from './time.mjs';

/**
 * Calls `sendOne(k)` for k = 0..total-1 at `ratePerSec`, on a fixed schedule from the start
 * (message k is due at k / rate). When the event loop is late, the overdue sends go out at once
 * instead of shifting the whole schedule: the offered load stays what was asked for.
 * @param {number} total
 * @param {number} ratePerSec
 * @param {(k: number) => void} sendOne
 */
export function paceSends(total, ratePerSec, sendOne) {
  const intervalMs = 1000 / ratePerSec;
  const start = now();
  let k = 0;
  return new Promise((resolve) => {
    const tick = () => {
      const due = Math.min(total, Math.floor((now() - start) / intervalMs) + 1);
      while (k < due) sendOne(k++);
      if (k >= total) resolve();
      else setTimeout(tick, Math.max(0, start + k * intervalMs - now()));
    };
    tick();
  });
}
