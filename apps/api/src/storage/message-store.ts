import type { ChatMessage, MemberEvent, RoomChange, User } from '@chat/contracts';
import type { StoredAttachment } from './upload-store.js';

/** What a sender asks to store; the store assigns id, seq and time. */
export interface MessageDraft {
  room: string;
  user: User;
  text: string;
  /** Idempotency key, unique per user across messages and changes. */
  clientId: string;
  /** A message of the same room this one answers (checked by the core before it gets here). */
  replyTo?: string;
  /** The root of the thread this reply belongs to (checked by the core: same room, itself no reply). */
  threadId?: string;
  /** User ids the text mentions, resolved by the membership feature; stored with the message. */
  mentions?: string[];
  /**
   * The uploads this message carries, already taken for (user, clientId) in the upload store
   * (readers join them by that key); the store only puts them on the message it answers with.
   */
  attachments?: StoredAttachment[];
}

export interface AppendResult {
  message: ChatMessage;
  /** True when (user, clientId) was already stored: `message` is the earlier one, unchanged. */
  duplicate: boolean;
}

/** A change to a stored message, as the core asks for it once its rules allowed it. */
export type ChangeDraft =
  | { type: 'edit'; room: string; user: User; clientId: string; id: string; text: string }
  | { type: 'delete'; room: string; user: User; clientId: string; id: string }
  | { type: 'react'; room: string; user: User; clientId: string; id: string; emoji: string; on: boolean };

/**
 * What became of a change. `applied`/`duplicate` carry the logged event (for a duplicate, the one
 * stored under that (user, clientId) earlier, whatever it was); the others stored nothing.
 */
export type ChangeResult =
  | { status: 'applied' | 'duplicate'; change: RoomChange; time: string }
  /** No message of that id in that room. */
  | { status: 'not_found' }
  /** The message is a tombstone: it cannot be edited, reacted to or deleted again. */
  | { status: 'deleted' }
  /** The clientId names one of this user's messages: a clientId is used once, for one thing. */
  | { status: 'client_id_used'; room: string };

/** A membership change to log (the membership feature decides what; the store gives it a seq). */
export type MemberEventDraft = Omit<MemberEvent, 'seq'>;

/** One entry of a room's log: a message, or a change (in the same envelope as on the wire). */
export type LogEntry = { event: 'message'; data: ChatMessage } | RoomChange;

export interface PageQuery {
  /** Only messages with seq > after. */
  after?: number;
  /** Only messages with seq < before. */
  before?: number;
  /** The newest `limit` messages of that range are returned (the oldest with `oldest`). */
  limit: number;
  /**
   * Read the range from its oldest end (paging forward from a point, as `history {after}` does):
   * the page holds the oldest messages of the range, the byte budget keeps the oldest one, and
   * `hasMore` says newer ones were left out.
   */
  oldest?: boolean;
  /**
   * At most this many bytes of messages (as JSON, see page-budget.ts); the newest message is
   * returned even if it alone is larger. Without it, only `limit` counts.
   */
  maxBytes?: number;
  /** Whose page it is: reactions say `me` for this user id. Without it, `me` is false. */
  viewer?: string;
  /** Only the replies of this thread (root id). */
  threadId?: string;
}

export interface MessagePage {
  /** Oldest first, each in its latest state (edits, tombstones, reactions, previews, thread summary). */
  messages: ChatMessage[];
  /** The range holds older messages than the first one returned (with `oldest`: newer than the last). */
  hasMore: boolean;
  /** The room's newest seq when the page was read (0 for an empty room): messages and changes alike. */
  lastSeq: number;
}

/**
 * The port every message store implements. Every entry of a room's log (a message, an edit, a
 * delete, a reaction, a membership change) gets the room's next seq, 1, 2, 3, ... without gaps or
 * repeats, and resolves only once durable. One instance's appends commit in call order, changes
 * and messages alike.
 */
export interface MessageStore {
  append(draft: MessageDraft): Promise<AppendResult>;
  /** Applies a change to a message and logs it; idempotent on (user, clientId). */
  appendChange(draft: ChangeDraft): Promise<ChangeResult>;
  /** Logs a membership change (no clientId: the membership store's own write is what is idempotent). */
  appendMemberEvent(draft: MemberEventDraft): Promise<MemberEvent>;
  readPage(room: string, query: PageQuery): Promise<MessagePage>;
  /**
   * The room's newest seq now (0 for an empty or unknown room): one cheap read, which tells
   * whether a page read earlier still holds (every entry of the log takes a seq).
   */
  lastSeqOf(room: string): Promise<number>;
  /**
   * The log entries with after < seq < before (to the newest without `before`), oldest first; at
   * most `limit`, the newest ones when there are more. Messages come in their latest state.
   */
  readLog(room: string, after: number, before: number | undefined, limit: number): Promise<LogEntry[]>;
  /**
   * What a client that held the room up to `since` must apply: the changes with since < seq <=
   * until to messages with seq <= since, and every membership change in that range; oldest first,
   * at most `limit`.
   */
  readChanges(room: string, since: number, until: number, limit: number): Promise<RoomChange[]>;
  /** A message by id, in its latest state (reactions without `me`); undefined for an unknown or malformed id. */
  findMessage(id: string): Promise<ChatMessage | undefined>;
  /** The message stored under (user, clientId), if any: tells a replay from a new message. */
  findByClientId(userId: string, clientId: string): Promise<ChatMessage | undefined>;
  /** Whether (user, clientId) is taken by a message or a change: a replay costs no quota. */
  isClientIdUsed(userId: string, clientId: string): Promise<boolean>;
  close(): Promise<void>;
}

/** Nest injection token for the configured {@link MessageStore}. */
export const MESSAGE_STORE = Symbol('MessageStore');
