import type { MessageStore } from '../storage/message-store.js';
import type { RangeReader } from './room-sequencer.js';

/** Log entries a single gap repair reads at most; a longer gap is left to the clients' own resume. */
export const REPAIR_LIMIT = 1000;

/**
 * A {@link RangeReader} over the message store: messages and changes of the range, in seq order;
 * past `limit` entries the oldest part is left out.
 */
export function storeRangeReader(store: Pick<MessageStore, 'readLog'>, limit = REPAIR_LIMIT): RangeReader {
  return (room, after, before) => store.readLog(room, after, before, limit);
}
