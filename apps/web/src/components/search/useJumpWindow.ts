import { useCallback, useEffect, useRef, useState } from 'react';
import type { ChatMessage } from '@chat/contracts';
import { ApiError } from '../../api/http.js';
import { fetchRoomWindow, type WindowAnchor } from '../../api/search-api.js';
import { mergeMessages } from '@chat/client';

const PAGE = 50;

export interface JumpWindow {
  /** Oldest first; thread replies included (the view shows the main conversation). */
  messages: ChatMessage[];
  /** Null until the first page came. */
  loaded: boolean;
  hasOlder: boolean;
  hasNewer: boolean;
  loading: 'older' | 'newer' | null;
  error: string | null;
  loadOlder: () => void;
  loadNewer: () => void;
}

type Fetch = typeof fetchRoomWindow;

/**
 * A stretch of a room's log around one seq, paged both ways: what a jump to a search result
 * shows. It is held apart from the live room (which always ends at the newest message), so a
 * jump never leaves a hole in what the socket keeps in step.
 */
export function useJumpWindow(
  room: string,
  around: number,
  fetchWindow: Fetch = fetchRoomWindow,
): JumpWindow {
  const [messages, setMessages] = useState<ChatMessage[]>([]);
  const [loaded, setLoaded] = useState(false);
  const [hasOlder, setHasOlder] = useState(false);
  const [hasNewer, setHasNewer] = useState(false);
  const [loading, setLoading] = useState<'older' | 'newer' | null>(null);
  const [error, setError] = useState<string | null>(null);
  const busy = useRef(false);
  const held = useRef(messages);
  useEffect(() => {
    held.current = messages;
  });

  const fail = (failure: unknown) =>
    setError(failure instanceof ApiError ? failure.message : 'The room cannot be read now.');

  useEffect(() => {
    let current = true;
    fetchWindow(room, { around }, PAGE)
      .then((page) => {
        if (!current) return;
        setMessages(page.messages);
        setHasOlder(page.hasMore);
        setHasNewer(page.hasNewer ?? false);
        setLoaded(true);
      })
      .catch((failure: unknown) => current && fail(failure));
    return () => {
      current = false;
    };
  }, [room, around, fetchWindow]);

  const page = useCallback(
    (direction: 'older' | 'newer') => {
      const edge = direction === 'older' ? held.current[0] : held.current.at(-1);
      if (busy.current || !edge) return;
      busy.current = true;
      setLoading(direction);
      const anchor: WindowAnchor = direction === 'older' ? { before: edge.seq } : { after: edge.seq };
      fetchWindow(room, anchor, PAGE)
        .then((next) => {
          setMessages((mine) => mergeMessages(mine, next.messages));
          if (direction === 'older') setHasOlder(next.hasMore);
          else setHasNewer(next.hasNewer ?? false);
        })
        .catch(fail)
        .finally(() => {
          busy.current = false;
          setLoading(null);
        });
    },
    [room, fetchWindow],
  );
  const loadOlder = useCallback(() => hasOlder && page('older'), [hasOlder, page]);
  const loadNewer = useCallback(() => hasNewer && page('newer'), [hasNewer, page]);

  return { messages, loaded, hasOlder, hasNewer, loading, error, loadOlder, loadNewer };
}
