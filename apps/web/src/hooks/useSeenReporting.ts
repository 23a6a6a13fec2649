import { useEffect, useRef, type RefObject } from 'react';

/** Visible, in a tab on screen: what the reader has seen of a message list. */
function lastSeenSeq(container: HTMLElement): number {
  const bottom = container.getBoundingClientRect().bottom;
  let seen = 0;
  for (const element of container.querySelectorAll<HTMLElement>('[data-seq]')) {
    if (element.getBoundingClientRect().top >= bottom) break;
    seen = Math.max(seen, Number(element.dataset.seq));
  }
  return seen;
}

interface SeenReportingInput {
  scrollRef: RefObject<HTMLElement | null>;
  atBottom: boolean;
  /** The newest seq of the room's log held (what "at the bottom" has seen). */
  newest: number;
  /** Changes when the list scrolls or grows, to look again. */
  version: unknown;
  onSeen?: (seq: number) => void;
}

/**
 * Reports how far the reader has seen a room, while its tab is visible: everything when they
 * are at the bottom, else up to the last message in view. The caller moves the read marker
 * (forward only, throttled).
 */
export function useSeenReporting({ scrollRef, atBottom, newest, version, onSeen }: SeenReportingInput): void {
  const latest = useRef(onSeen);
  useEffect(() => {
    latest.current = onSeen;
  });
  // Reporting can start late (the room's read state arrives after its messages): look again then.
  const enabled = onSeen !== undefined;
  useEffect(() => {
    const report = () => {
      const container = scrollRef.current;
      if (!container || document.visibilityState !== 'visible') return;
      const seq = atBottom ? newest : lastSeenSeq(container);
      if (seq > 0) latest.current?.(seq);
    };
    if (!enabled) return;
    report();
    document.addEventListener('visibilitychange', report);
    return () => document.removeEventListener('visibilitychange', report);
  }, [scrollRef, atBottom, newest, version, enabled]);
}
