import type { MessageStore } from '../storage/message-store.js';
import type { RangeReader } from './room-sequencer.js';

/** Messages a single gap repair reads at most; a longer gap is left to the clients' own resume. */
export const REPAIR_LIMIT = 1000;
const PAGE = 500;

/**
 * A {@link RangeReader} over the message store. Pages return the newest messages of a range, so
 * the range is read backwards; past `limit` messages the oldest part is left out.
 */
export function storeRangeReader(store: Pick<MessageStore, 'readPage'>, limit = REPAIR_LIMIT): RangeReader {
  return async (room, after, before) => {
    const found = [];
    let upper = before;
    while (found.length < limit) {
      const page = await store.readPage(room, {
        after,
        before: upper,
        limit: Math.min(PAGE, limit - found.length),
      });
      found.unshift(...page.messages);
      if (!page.hasMore || page.messages.length === 0) break;
      upper = page.messages[0]!.seq;
    }
    return found;
  };
}
