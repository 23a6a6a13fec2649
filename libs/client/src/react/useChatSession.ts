import { useEffect, useMemo, useSyncExternalStore } from 'react';
import { ChatSession } from '../session/chat-session.js';
import type { ChatSessionOptions, ChatSnapshot } from '../session/types.js';

export type UseChatSessionOptions = Omit<ChatSessionOptions, 'url' | 'user'>;

/**
 * One {@link ChatSession} per user and url, started while the component is mounted (and
 * stopped on unmount, a user or url change; StrictMode's second mount starts it again), and its
 * snapshot as React state. Options are read when the session is created: a fresh object on
 * every render does not reconnect.
 */
export function useChatSession(
  user: { id: string; guest?: boolean },
  url: string,
  options: UseChatSessionOptions = {},
): { session: ChatSession; snapshot: ChatSnapshot } {
  const { id, guest } = user;
  // Creating a session has no side effects (it only reads storage), so a discarded one costs nothing.
  const session = useMemo(
    () => new ChatSession({ ...options, url, user: { id, guest } }),
    // Options are read once, when the session is created (documented above): a fresh object on
    // every render must not make a new session.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [url, id, guest],
  );
  useEffect(() => {
    session.start();
    return () => session.stop();
  }, [session]);
  const snapshot = useSyncExternalStore(session.subscribe, session.getSnapshot);
  return { session, snapshot };
}
