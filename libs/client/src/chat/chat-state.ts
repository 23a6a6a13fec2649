import {
  DEFAULT_ROOM,
  type ChatMessage,
  type ErrorPayload,
  type Limits,
  type RoomInfo,
  type RoomMember,
  type User,
} from '@chat/contracts';

/** A message the user wrote that the server has not acknowledged yet. */
export interface PendingMessage {
  clientId: string;
  room: string;
  text: string;
  /** The id of the message this one answers (quoted). */
  replyTo?: string;
  /** The id of the thread's root, for a reply in a thread. */
  threadId?: string;
  /**
   * Where it was written: the room's resume point then. Until it is acknowledged it is shown
   * after the messages up to that seq (see `timeline`), not after ones that arrived later.
   */
  afterSeq?: number;
  /** Ids of uploaded files (POST /api/uploads) the message carries; they are uploaded before it is queued. */
  attachments?: string[];
  /** `sending` is retried on every reconnect; `failed` waits for the user to retry or discard. */
  status: 'sending' | 'failed';
  error?: string;
  createdAt: string;
}

export interface TypingUser {
  user: User;
  /** Epoch ms after which the notice is stale. */
  until: number;
}

export interface RoomState {
  /** Ordered by seq, each id once. */
  messages: ChatMessage[];
  /**
   * Highest seq up to which nothing is missing: the resume point. Every event of the room's log
   * counts (messages, edits, deletes, reactions, membership), so messages alone skip seqs.
   * Events past a gap (some were lost on the way) are applied, but the resume point stays
   * before the gap until it is filled.
   */
  lastSeq: number;
  /** Seqs past `lastSeq` already applied (after a gap), ascending: each event is applied once. */
  pastGap: number[];
  /** Older messages exist on the server than the first one here. */
  hasMore: boolean;
  loadingOlder: boolean;
  /**
   * The room as the server reports it to this user (kind, role, read marker, unread and mention
   * counts), null until the server has said (the `rooms` snapshot or `room.added`).
   */
  info: RoomInfo | null;
  /**
   * The newest seq whose message is already in `info.unread`/`info.mentions` (the server's report
   * covers up to its lastSeq; live messages after it are counted here, once).
   */
  countedUntil: number;
  /** Seqs past the read marker already counted as mentions (from `message` or `mention`), once each. */
  mentionSeqs: number[];
  /** The member list, once asked for (kept current by `member` events); null before. */
  members: RoomMember[] | null;
  /**
   * The room's newest seq when it was first loaded (its first `joined`), null before that.
   * Messages past it came in later: news, which screen readers hear; the ones up to it are
   * history, which they do not.
   */
  historyUntil: number | null;
  presence: User[];
  /** The last `presence` frame said `more`: the next one adds to this list instead of replacing it. */
  presenceMore?: boolean;
  /**
   * A big room's count of users online (`presence.count`); null in a small room, whose
   * `presence` list is the whole truth.
   */
  online: number | null;
  /** The paged list of who is online (`presence.list`), while one is open; null otherwise. */
  onlinePage: OnlinePage | null;
  typing: TypingUser[];
}

/** Who is online in a big room, as far as paged (`presence.page`), for one search. */
export interface OnlinePage {
  /** The search the pages are of ('' for everyone). */
  q: string;
  users: User[];
  /** Where the next page starts; undefined once everyone was listed. */
  next: string | undefined;
  loading: boolean;
}

export interface ChatState {
  me: User | null;
  /** What the server enforces, from its welcome. */
  limits: Limits | null;
  /** Rooms this user is in, in sidebar order (restored on every reconnect). */
  joined: string[];
  /** The room on screen. */
  active: string;
  /** The server has sent this user's rooms (`rooms` after `welcome`): `joined` is its list. */
  roomsKnown: boolean;
  /** The thread open beside the room: its room and root message id. */
  thread: { room: string; root: string; loading: boolean; hasMore: boolean } | null;
  /**
   * Per-room state. A Map, never a plain object: room names are user input, and `constructor`
   * or `__proto__` would read the object's prototype instead of a room (it blanked the page).
   */
  rooms: ReadonlyMap<string, RoomState>;
  outbox: PendingMessage[];
  /** The latest error not tied to a message, for a notice the user can dismiss. */
  notice: string | null;
  /** The error behind `notice` (its code, the request that failed): the UI words it for people. */
  noticeError: ErrorPayload | null;
  /** The latest private answer from the server (a slash command's `notice`), until dismissed. */
  info: string | null;
}

export const EMPTY_ROOM: RoomState = {
  messages: [],
  lastSeq: 0,
  pastGap: [],
  hasMore: false,
  loadingOlder: false,
  info: null,
  countedUntil: 0,
  mentionSeqs: [],
  members: null,
  historyUntil: null,
  presence: [],
  online: null,
  onlinePage: null,
  typing: [],
};

/** How long "X is typing…" stays up without a new notice. */
export const TYPING_VISIBLE_MS = 5000;

export function initialChatState(joined: string[], active: string, outbox: PendingMessage[]): ChatState {
  return {
    me: null,
    limits: null,
    joined,
    active,
    roomsKnown: false,
    thread: null,
    rooms: new Map(),
    outbox,
    notice: null,
    noticeError: null,
    info: null,
  };
}

/**
 * Adds messages from a page (`joined`, `history`), keeping seq order. A page carries messages in
 * their latest state and reflects every event already delivered, so its copy replaces ours.
 */
export function mergeMessages(current: ChatMessage[], incoming: ChatMessage[]): ChatMessage[] {
  if (incoming.length === 0) return current;
  const byId = new Map(incoming.map((m) => [m.id, m]));
  let replaced = false;
  const kept = current.map((m) => {
    const fresh = byId.get(m.id);
    if (!fresh) return m;
    byId.delete(m.id);
    if (sameState(fresh, m)) return m;
    replaced = true;
    return fresh;
  });
  const added = [...byId.values()];
  if (added.length === 0) return replaced ? kept : current;
  const last = kept.at(-1);
  if (last && added.every((m) => m.seq > last.seq) && isSorted(added)) return [...kept, ...added];
  return [...kept, ...added].sort((a, b) => a.seq - b.seq);
}

/** Whether a page's copy says nothing new (keeps the held object: no re-render). */
function sameState(a: ChatMessage, b: ChatMessage): boolean {
  return (
    a === b ||
    (a.text === b.text &&
      a.editedAt === b.editedAt &&
      a.deleted === b.deleted &&
      JSON.stringify([a.reactions, a.thread, a.replyTo]) ===
        JSON.stringify([b.reactions, b.thread, b.replyTo]))
  );
}

function isSorted(messages: ChatMessage[]): boolean {
  return messages.every((m, i) => i === 0 || messages[i - 1]!.seq < m.seq);
}

/**
 * Moves the resume point past every applied seq that directly follows it. `applied` is every seq
 * applied past the old resume point (messages and change events alike), in any order; returns
 * the new resume point and the seqs still past a gap.
 */
export function contiguousEnd(
  lastSeq: number,
  applied: readonly number[],
): { lastSeq: number; pastGap: number[] } {
  const ahead = [...new Set(applied.filter((seq) => seq > lastSeq))].sort((a, b) => a - b);
  let end = lastSeq;
  let index = 0;
  for (; index < ahead.length && ahead[index] === end + 1; index++) end++;
  return { lastSeq: end, pastGap: ahead.slice(index) };
}

/** The resume point of a room with events past a gap, or null when nothing is missing. */
export function gapAfter(room: RoomState): number | null {
  return room.pastGap.length > 0 ? room.lastSeq : null;
}

/** The user's room list in sidebar order: rooms (general first, then by name), then DMs by person. */
export function sidebarOrder(joined: readonly string[], rooms: ReadonlyMap<string, RoomState>): string[] {
  const kindOf = (name: string) => rooms.get(name)?.info?.kind ?? (name.startsWith('dm-') ? 'dm' : 'public');
  const label = (name: string) => (rooms.get(name)?.info?.dmWith?.name ?? name).toLowerCase();
  const byLabel = (a: string, b: string) =>
    (b === DEFAULT_ROOM ? 1 : 0) - (a === DEFAULT_ROOM ? 1 : 0) || label(a).localeCompare(label(b));
  const channels = joined.filter((name) => kindOf(name) !== 'dm').sort(byLabel);
  const dms = joined.filter((name) => kindOf(name) === 'dm').sort(byLabel);
  return [...channels, ...dms];
}
