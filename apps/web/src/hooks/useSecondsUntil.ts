import { useLayoutEffect, useState } from 'react';

/** Whole seconds from now until `time` (epoch ms), ticking while there is a time to wait for. */
export function useSecondsUntil(time: number | null): number {
  const [now, setNow] = useState(() => Date.now());
  // A layout effect, and a reading at once: a new `time` is measured from the clock of this
  // moment before anything is painted, not from the last tick (up to 250 ms old, or the page's
  // load on the first wait), which showed a second too many.
  useLayoutEffect(() => {
    if (time === null) return;
    const tick = () => setNow(Date.now());
    tick();
    // Four ticks a second, so the number turns over close to the real second.
    const timer = setInterval(tick, 250);
    return () => clearInterval(timer);
  }, [time]);
  return time === null ? 0 : Math.max(0, Math.ceil((time - now) / 1000));
}
