import { useCallback, useEffect, useRef, useState } from 'react';
import type { SearchHit } from '@chat/contracts';
import { ApiError } from '../../api/http.js';
import { searchMessages } from '../../api/search-api.js';

/** Typing pauses this long before the server is asked. */
const SEARCH_DELAY_MS = 250;

export interface MessageSearchState {
  hits: SearchHit[];
  /** True while the results of the current words are on their way. */
  searching: boolean;
  /** The server's reason (a bad query says why), or a connection failure. */
  error: string | null;
  /** There are more results: `loadMore` fetches them. */
  hasMore: boolean;
  loadMore: () => void;
}

/** What the server answered for one set of words. */
interface Answer {
  words: string;
  hits: SearchHit[];
  next?: string;
  error: string | null;
}

const NONE: Answer = { words: '', hits: [], error: null };

const reasonOf = (failure: unknown) =>
  failure instanceof ApiError ? failure.message : 'Search is not available now.';

/**
 * The results for `q` as the user types: asked after a pause, paged on demand. Each answer is
 * kept with the words it answers, so a late answer to older words never shows for newer ones.
 */
export function useMessageSearch(q: string, search = searchMessages): MessageSearchState {
  const words = q.trim();
  const [answer, setAnswer] = useState<Answer>(NONE);
  const paging = useRef(false);

  useEffect(() => {
    if (!words) return;
    let current = true;
    const timer = setTimeout(() => {
      search(words)
        .then((page) => current && setAnswer({ words, hits: page.results, next: page.next, error: null }))
        .catch((failure: unknown) => current && setAnswer({ words, hits: [], error: reasonOf(failure) }));
    }, SEARCH_DELAY_MS);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [words, search]);

  const loadMore = useCallback(() => {
    const { next } = answer;
    if (!next || paging.current) return;
    paging.current = true;
    search(answer.words, next)
      .then((page) =>
        setAnswer((held) =>
          held.words === answer.words && held.next === next
            ? { ...held, hits: [...held.hits, ...page.results], next: page.next }
            : held,
        ),
      )
      .catch((failure: unknown) =>
        setAnswer((held) => (held.words === answer.words ? { ...held, error: reasonOf(failure) } : held)),
      )
      .finally(() => {
        paging.current = false;
      });
  }, [answer, search]);

  const shown = words && answer.words === words ? answer : NONE;
  return {
    hits: shown.hits,
    searching: words !== '' && answer.words !== words,
    error: shown.error,
    hasMore: shown.next !== undefined,
    loadMore,
  };
}
