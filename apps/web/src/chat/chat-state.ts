import type { ChatMessage, Limits, User } from '@chat/contracts';

/** A message the user wrote that the server has not acknowledged yet. */
export interface PendingMessage {
  clientId: string;
  room: string;
  text: string;
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
   * Highest seq up to which nothing is missing: the resume point. Messages past a gap (some
   * were lost on the way) are shown, but the resume point stays before the gap until it is filled.
   */
  lastSeq: number;
  /** Older messages exist on the server than the first one here. */
  hasMore: boolean;
  loadingOlder: boolean;
  /** Messages from others that arrived while another room was on screen. */
  unread: number;
  /**
   * The room's newest seq when it was first loaded (its first `joined`), null before that.
   * Messages past it came in later: news, which screen readers hear; the ones up to it are
   * history, which they do not.
   */
  historyUntil: number | null;
  presence: User[];
  typing: TypingUser[];
}

export interface ChatState {
  me: User | null;
  /** What the server enforces, from its welcome. */
  limits: Limits | null;
  /** Rooms this user is in, in sidebar order (restored on every reconnect). */
  joined: string[];
  /** The room on screen. */
  active: string;
  /**
   * Per-room state. A Map, never a plain object: room names are user input, and `constructor`
   * or `__proto__` would read the object's prototype instead of a room (it blanked the page).
   */
  rooms: ReadonlyMap<string, RoomState>;
  outbox: PendingMessage[];
  /** The latest error not tied to a message, for a notice the user can dismiss. */
  notice: string | null;
  /** The latest private answer from the server (a slash command's `notice`), until dismissed. */
  info: string | null;
}

export const EMPTY_ROOM: RoomState = {
  messages: [],
  lastSeq: 0,
  hasMore: false,
  loadingOlder: false,
  unread: 0,
  historyUntil: null,
  presence: [],
  typing: [],
};

/** How long "X is typing…" stays up without a new notice. */
export const TYPING_VISIBLE_MS = 5000;

export function initialChatState(joined: string[], active: string, outbox: PendingMessage[]): ChatState {
  return { me: null, limits: null, joined, active, rooms: new Map(), outbox, notice: null, info: null };
}

/** Adds messages, keeping seq order and dropping ids already present. */
export function mergeMessages(current: ChatMessage[], incoming: ChatMessage[]): ChatMessage[] {
  const known = new Set(current.map((m) => m.id));
  const fresh = incoming.filter((m) => !known.has(m.id));
  if (fresh.length === 0) return current;
  const last = current.at(-1);
  if (last && fresh.every((m) => m.seq > last.seq) && isSorted(fresh)) return [...current, ...fresh];
  return [...current, ...fresh].sort((a, b) => a.seq - b.seq);
}

function isSorted(messages: ChatMessage[]): boolean {
  return messages.every((m, i) => i === 0 || messages[i - 1]!.seq < m.seq);
}

/** Moves the resume point past every message that directly follows it. `messages` is in seq order. */
export function contiguousEnd(lastSeq: number, messages: ChatMessage[]): number {
  // Gaps are rare and recent: walk back to the first message past the resume point.
  let index = messages.length;
  while (index > 0 && messages[index - 1]!.seq > lastSeq) index--;
  let end = lastSeq;
  for (; index < messages.length && messages[index]!.seq === end + 1; index++) end++;
  return end;
}

/** The resume point of a room whose newest message is past a gap, or null when nothing is missing. */
export function gapAfter(room: RoomState): number | null {
  const newest = room.messages.at(-1);
  return newest && newest.seq > room.lastSeq ? room.lastSeq : null;
}
