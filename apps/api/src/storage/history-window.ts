import { HISTORY_DEFAULT_LIMIT, type ChatMessage, type HistoryRequest } from '@chat/contracts';
import type { MessagePage, PageQuery } from './message-store.js';
import { pageBytesOf } from './page-budget.js';

/** What a `history` answer holds besides its room (and the echoed threadId). */
export interface HistoryWindow {
  messages: ChatMessage[];
  hasMore: boolean;
  hasNewer?: boolean;
  around?: number;
  after?: number;
}

/** Reads one page of the range (the caller's reader re-reads it when the connection is ahead of it). */
export type PageReader = (query: PageQuery) => Promise<MessagePage>;

/**
 * The page a `history` request asks for. `before` (or nothing) is the room's usual backward
 * page. `after` pages forward: the oldest messages past that seq. `around` is a jump: about half
 * of the page up to and including that seq, the rest after it, both halves within the byte budget
 * together, so that the client can page from there both ways.
 */
export async function readHistoryWindow(
  read: PageReader,
  request: HistoryRequest,
  base: Omit<PageQuery, 'limit'> & { maxBytes: number },
): Promise<HistoryWindow> {
  const { before, after, around, limit = HISTORY_DEFAULT_LIMIT } = request;
  if (after === undefined && around === undefined) {
    const page = await read({ ...base, before, limit });
    return { messages: page.messages, hasMore: page.hasMore };
  }
  const pivot = (after ?? around)!;
  // For `after`, the older side is only a probe: are there messages up to that seq at all?
  const olderLimit = around === undefined ? 1 : Math.ceil(limit / 2);
  const older = await read({ ...base, before: pivot + 1, limit: olderLimit, maxBytes: base.maxBytes / 2 });
  const kept = around === undefined ? [] : older.messages;
  const hasMore = around === undefined ? older.messages.length > 0 : older.hasMore;
  const used = kept.reduce((bytes, message) => bytes + pageBytesOf(message), 0);
  const room = limit - kept.length;
  // With no room left (limit 1), one message is read only to learn whether newer ones exist.
  const newer = await read({
    ...base,
    after: pivot,
    limit: Math.max(1, room),
    maxBytes: Math.max(1, base.maxBytes - used),
    oldest: true,
  });
  const added = room > 0 ? newer.messages : [];
  return {
    messages: [...kept, ...added],
    hasMore,
    hasNewer: room > 0 ? newer.hasMore : newer.messages.length > 0,
    ...(around !== undefined ? { around } : { after }),
  };
}
