import { useEffect, useState } from 'react';

/** Whole seconds from now until `time` (epoch ms), ticking while there is a time to wait for. */
export function useSecondsUntil(time: number | null): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (time === null) return;
    // Four ticks a second, so the number turns over close to the real second.
    const timer = setInterval(() => setNow(Date.now()), 250);
    return () => clearInterval(timer);
  }, [time]);
  return time === null ? 0 : Math.max(0, Math.ceil((time - now) / 1000));
}
