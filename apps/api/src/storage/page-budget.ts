import type { ChatMessage } from '@chat/contracts';

/** Bytes a message takes in a page's JSON array: its JSON (UTF-8) and the comma before it. */
export function pageBytesOf(message: ChatMessage): number {
  return Buffer.byteLength(JSON.stringify(message)) + 1;
}

/**
 * Cuts a page by count and by bytes. `newestFirst` is what the store read for the range (up to
 * `limit + 1` rows, newest first). The newest messages are kept, so a cut page is a normal page
 * with `hasMore`, and the client pages back with `history` as it would past `limit`. The newest
 * message is always kept, even over `maxBytes`, so that paging always makes progress; the
 * configuration makes sure one message fits the budget (see frame-budget.ts).
 */
export function fitPage(
  newestFirst: readonly ChatMessage[],
  limit: number,
  maxBytes = Number.POSITIVE_INFINITY,
): { messages: ChatMessage[]; hasMore: boolean } {
  let count = 0;
  let bytes = 0;
  for (const message of newestFirst) {
    if (count === limit) break;
    bytes += pageBytesOf(message);
    if (count > 0 && bytes > maxBytes) break;
    count++;
  }
  return { messages: newestFirst.slice(0, count).reverse(), hasMore: newestFirst.length > count };
}
