import {
  MessagesPageSchema,
  SearchResultsSchema,
  type MessagesPage,
  type SearchResults,
} from '@chat/contracts';
import { callApi } from './http.js';

/** One page of GET /api/search; `cursor` is the previous page's `next`. */
export function searchMessages(q: string, cursor?: string): Promise<SearchResults> {
  const query = new URLSearchParams({ q });
  if (cursor) query.set('cursor', cursor);
  return callApi(SearchResultsSchema, `/api/search?${query.toString()}`);
}

/** Where a page of a room starts: around a seq (a jump), before one (older) or after one (newer). */
export type WindowAnchor = { around: number } | { before: number } | { after: number };

/**
 * A page of a room's main conversation from `anchor` (the same pages as `history`). The jump
 * view reads these over HTTP: its window is not the live room the socket keeps, so its pages
 * must not land in that room's state.
 */
export function fetchRoomWindow(room: string, anchor: WindowAnchor, limit = 50): Promise<MessagesPage> {
  const query = new URLSearchParams({ limit: String(limit) });
  for (const [key, seq] of Object.entries(anchor)) query.set(key, String(seq));
  return callApi(MessagesPageSchema, `/api/rooms/${encodeURIComponent(room)}/messages?${query.toString()}`);
}
