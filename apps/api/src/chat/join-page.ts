import { HISTORY_DEFAULT_LIMIT, type RoomChange } from '@chat/contracts';
import type { MessagePage, MessageStore } from '../storage/message-store.js';
import { pageBytesOf } from '../storage/page-budget.js';
import type { LatestPages } from './latest-pages.js';

/** Messages (and changes) a resuming client gets in `joined` before it has to page or reload. */
export const RESUME_LIMIT = 500;

export interface JoinPage {
  page: MessagePage;
  /** Drop what you hold for the room and keep this page (the latest). */
  reset: boolean;
  /** With `since` and no reset: the changes to what the client held, in seq order. */
  changes: RoomChange[];
}

/**
 * The page `joined` carries: the latest one, or what was missed since `since` with the changes
 * to what the client held. A `since` past the room's last seq means the room's history was reset
 * (a new database); more changes than RESUME_LIMIT, or more than the page's byte budget holds,
 * mean a reload is cheaper than the replay: both answer with the latest page and `reset`. Both
 * reads end at the page's snapshot (lastSeq): what follows it arrives live, after `joined`.
 * A client that missed nothing (the usual resume after a reconnect) costs one look at the room's
 * newest seq; with `pages`, so does a plain join of a room whose log has not changed.
 */
export async function readJoinPage(
  store: Pick<MessageStore, 'readPage' | 'readChanges' | 'lastSeqOf'>,
  room: string,
  since: number | undefined,
  viewer: string,
  maxBytes: number,
  pages?: LatestPages,
): Promise<JoinPage> {
  const latest = async (reset: boolean): Promise<JoinPage> => ({
    page: pages
      ? await pages.read(room, viewer, maxBytes)
      : await store.readPage(room, { limit: HISTORY_DEFAULT_LIMIT, maxBytes, viewer }),
    reset,
    changes: [],
  });
  if (since === undefined) return latest(false);
  const lastSeq = await store.lastSeqOf(room);
  if (since === lastSeq)
    return { page: { messages: [], hasMore: false, lastSeq }, reset: false, changes: [] };
  const missed = await store.readPage(room, { after: since, limit: RESUME_LIMIT, maxBytes, viewer });
  if (since > missed.lastSeq) return latest(true);
  if (since === missed.lastSeq) return { page: missed, reset: false, changes: [] };
  const changes = await store.readChanges(room, since, missed.lastSeq, RESUME_LIMIT + 1);
  if (changes.length > RESUME_LIMIT) return latest(true);
  const messageBytes = missed.messages.reduce((sum, message) => sum + pageBytesOf(message), 0);
  const changeBytes = changes.length === 0 ? 0 : Buffer.byteLength(JSON.stringify(changes));
  if (messageBytes + changeBytes <= maxBytes) return { page: missed, reset: false, changes };
  if (changeBytes > maxBytes / 2) return latest(true);
  // The frame holds both: fewer messages (the client pages back for the rest), all the changes.
  const cut = await store.readPage(room, {
    after: since,
    before: missed.lastSeq + 1,
    limit: RESUME_LIMIT,
    maxBytes: maxBytes - changeBytes,
    viewer,
  });
  return { page: { ...cut, hasMore: true, lastSeq: missed.lastSeq }, reset: false, changes };
}
