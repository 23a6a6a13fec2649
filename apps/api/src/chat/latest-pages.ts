import { HISTORY_DEFAULT_LIMIT } from '@chat/contracts';
import type { MessagePage, MessageStore } from '../storage/message-store.js';

/** Rooms whose latest page is kept; the least recently joined one goes first. */
export const LATEST_PAGES_KEPT = 100;

/**
 * The latest page of rooms that are being joined, kept while nothing of the room's log changed:
 * ten thousand clients joining one room (or coming back after a restart) read the same page, and
 * checking the room's newest seq is much cheaper than reading it again (every entry of the log,
 * messages and changes alike, takes a seq, so an unchanged seq means an unchanged page). Only
 * pages that are the same for every reader are kept: reactions say `me` per reader.
 */
export class LatestPages {
  /** room -> its latest page, and the byte budget it was cut to */
  private readonly pages = new Map<string, { page: MessagePage; maxBytes: number }>();

  constructor(
    private readonly store: Pick<MessageStore, 'readPage' | 'lastSeqOf'>,
    private readonly kept = LATEST_PAGES_KEPT,
  ) {}

  /** The room's latest page for `viewer`, cut to `maxBytes`; never to be changed by the caller. */
  async read(room: string, viewer: string, maxBytes: number): Promise<MessagePage> {
    const kept = this.pages.get(room);
    if (kept?.maxBytes === maxBytes) {
      this.pages.delete(room); // put back below: the Map's order is the recency
      if ((await this.store.lastSeqOf(room)) === kept.page.lastSeq) {
        this.keep(room, kept.page, maxBytes);
        return kept.page;
      }
    }
    const page = await this.store.readPage(room, { limit: HISTORY_DEFAULT_LIMIT, maxBytes, viewer });
    if (page.messages.every((message) => !message.reactions?.length)) this.keep(room, page, maxBytes);
    return page;
  }

  private keep(room: string, page: MessagePage, maxBytes: number): void {
    this.pages.set(room, { page, maxBytes });
    if (this.pages.size > this.kept) this.pages.delete(this.pages.keys().next().value!);
  }
}
