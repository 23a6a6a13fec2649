import type { ChatMessage } from '@chat/contracts';

/** Bytes a message takes in a page's JSON array: its JSON (UTF-8) and the comma before it. */
export function pageBytesOf(message: ChatMessage): number {
  return Buffer.byteLength(JSON.stringify(message)) + 1;
}

/**
 * Cuts a page by count and by bytes. `newestFirst` is what the store read for the range (up to
 * `limit + 1` rows, newest first); it is consumed only as far as needed, so a store may pass
 * rows lazily and stop reading once the budget is spent. The newest messages are kept, so a cut
 * page is a normal page with `hasMore`, and the client pages back with `history` as it would
 * past `limit`. The newest message is always kept, even over `maxBytes`, so that paging always
 * makes progress; the configuration makes sure one message fits (see config/frame-budget.ts).
 */
export function fitPage(
  newestFirst: Iterable<ChatMessage>,
  limit: number,
  maxBytes = Number.POSITIVE_INFINITY,
): { messages: ChatMessage[]; hasMore: boolean } {
  const kept: ChatMessage[] = [];
  let bytes = 0;
  for (const message of newestFirst) {
    if (kept.length === limit) return { messages: kept.reverse(), hasMore: true };
    bytes += pageBytesOf(message);
    if (kept.length > 0 && bytes > maxBytes) return { messages: kept.reverse(), hasMore: true };
    kept.push(message);
  }
  return { messages: kept.reverse(), hasMore: false };
}

/**
 * The same cut from the other end, for a page read forward: `oldestFirst` holds up to `limit + 1`
 * rows, oldest first; the oldest are kept (the first always), and `hasMore` says newer ones were
 * left out.
 */
export function fitPageForward(
  oldestFirst: Iterable<ChatMessage>,
  limit: number,
  maxBytes = Number.POSITIVE_INFINITY,
): { messages: ChatMessage[]; hasMore: boolean } {
  const { messages, hasMore } = fitPage(oldestFirst, limit, maxBytes);
  return { messages: messages.reverse(), hasMore };
}

/** `rows` turned into messages one at a time, as they are consumed. */
export function* mapRows<Row>(
  rows: Iterable<Row>,
  toMessage: (row: Row) => ChatMessage,
): Generator<ChatMessage> {
  for (const row of rows) yield toMessage(row);
}
