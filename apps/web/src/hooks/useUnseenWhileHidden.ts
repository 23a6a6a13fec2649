import { useEffect, useRef, useState } from 'react';
import type { ArrivalListener } from '../chat/useChat.js';

/**
 * Messages from others that arrived in the room on screen while the tab was hidden: the room's
 * unread count does not cover them (it is the active room), yet the user has not seen them.
 * Back to 0 when the tab is visible again.
 */
export function useUnseenWhileHidden(
  onArrival: (listener: ArrivalListener) => () => void,
  activeRoom: string,
  myId: string,
): number {
  const [unseen, setUnseen] = useState(0);
  const current = useRef({ activeRoom, myId });
  useEffect(() => {
    current.current = { activeRoom, myId };
  });
  useEffect(() => {
    const stop = onArrival((message) => {
      const { activeRoom, myId } = current.current;
      if (document.hidden && message.room === activeRoom && message.user.id !== myId) setUnseen((n) => n + 1);
    });
    const onVisibility = () => {
      if (!document.hidden) setUnseen(0);
    };
    document.addEventListener('visibilitychange', onVisibility);
    return () => {
      stop();
      document.removeEventListener('visibilitychange', onVisibility);
    };
  }, [onArrival]);
  return unseen;
}
