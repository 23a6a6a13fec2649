import {
  useCallback,
  useEffect,
  useLayoutEffect,
  useRef,
  useState,
  type RefObject,
  type UIEvent,
} from 'react';

/** Distance from the bottom (px) within which the reader counts as "at the bottom". */
const STICK_THRESHOLD = 48;
/** Distance from the top (px) at which older messages are asked for. */
const LOAD_OLDER_THRESHOLD = 80;

interface StickToBottomInput {
  /** Key of the first item: when it changes, items were put on top (older history). */
  firstKey: string | undefined;
  /** Items from others (and acknowledged ones): new ones count as unseen while scrolled up. */
  count: number;
  /** The reader's own unsent items: writing one always brings the bottom into view. */
  ownCount: number;
  onNearTop: () => void;
}

export interface StickToBottom {
  scrollRef: RefObject<HTMLDivElement | null>;
  onScroll: (event: UIEvent<HTMLDivElement>) => void;
  /** Items that arrived while the reader was scrolled up (0: no jump button). */
  unseen: number;
  /** The reader is at the bottom (the newest item is in view). */
  atBottom: boolean;
  jumpToBottom: () => void;
}

/**
 * A chat scroll area: follows new items while the reader is at the bottom, holds still (and
 * counts what arrives) while they read further up, and keeps their place when older items are
 * put on top. Also keeps the bottom in view when the area shrinks (a phone's keyboard opening)
 * or its content grows (rows measured once drawn).
 */
export function useStickToBottom({
  firstKey,
  count,
  ownCount,
  onNearTop,
}: StickToBottomInput): StickToBottom {
  const scrollRef = useRef<HTMLDivElement>(null);
  const atBottom = useRef(true);
  const [unseen, setUnseen] = useState(0);
  const [bottom, setBottom] = useState(true);
  const previous = useRef({ firstKey, count, ownCount, height: 0 });

  const toBottom = useCallback(() => {
    const element = scrollRef.current;
    if (element) element.scrollTop = element.scrollHeight;
    atBottom.current = true;
    setBottom(true);
    setUnseen(0);
  }, []);

  useLayoutEffect(() => {
    const element = scrollRef.current;
    if (!element) return;
    const before = previous.current;
    if (ownCount > before.ownCount || atBottom.current) {
      toBottom();
    } else if (firstKey !== before.firstKey && before.count > 0) {
      // Older items were put on top: keep what the reader was looking at in place.
      element.scrollTop += element.scrollHeight - before.height;
    } else if (count > before.count) {
      setUnseen((n) => n + count - before.count);
    }
    previous.current = { firstKey, count, ownCount, height: element.scrollHeight };
  }, [firstKey, count, ownCount, toBottom]);

  useEffect(() => {
    const element = scrollRef.current;
    if (!element || typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver(() => {
      if (atBottom.current) element.scrollTop = element.scrollHeight;
    });
    observer.observe(element);
    // Rows are measured after they are drawn (a virtual list guesses first): the content grows
    // after the scroll, and a reader at the bottom must stay there.
    for (const child of element.children) observer.observe(child);
    return () => observer.disconnect();
  }, []);

  const onScroll = (event: UIEvent<HTMLDivElement>) => {
    const element = event.currentTarget;
    atBottom.current = element.scrollHeight - element.scrollTop - element.clientHeight < STICK_THRESHOLD;
    setBottom(atBottom.current);
    if (atBottom.current) setUnseen(0);
    if (element.scrollTop < LOAD_OLDER_THRESHOLD) onNearTop();
  };

  return { scrollRef, onScroll, unseen, atBottom: bottom, jumpToBottom: toBottom };
}
