import type { ChatMessage, User } from '@chat/contracts';

/** What a sender asks to store; the store assigns id, seq and time. */
export interface MessageDraft {
  room: string;
  user: User;
  text: string;
  /** Idempotency key, unique per user. */
  clientId: string;
  /** Ids of the room's members the text mentions (resolved by the core's accept; stored by issue 15's stores). */
  mentions?: string[];
}

export interface AppendResult {
  message: ChatMessage;
  /** True when (user, clientId) was already stored: `message` is the earlier one, unchanged. */
  duplicate: boolean;
}

export interface PageQuery {
  /** Only messages with seq > after. */
  after?: number;
  /** Only messages with seq < before. */
  before?: number;
  /** The newest `limit` messages of that range are returned. */
  limit: number;
  /**
   * At most this many bytes of messages (as JSON, see page-budget.ts); the newest message is
   * returned even if it alone is larger. Without it, only `limit` counts.
   */
  maxBytes?: number;
}

export interface MessagePage {
  /** Oldest first. */
  messages: ChatMessage[];
  /** The range holds older messages than the first one returned. */
  hasMore: boolean;
  /** The room's newest seq when the page was read (0 for an empty room). */
  lastSeq: number;
}

/**
 * The port every message store implements. `append` resolves only once the message is durable,
 * and gives each room's messages seq 1, 2, 3, ... without gaps or repeats.
 */
export interface MessageStore {
  append(draft: MessageDraft): Promise<AppendResult>;
  readPage(room: string, query: PageQuery): Promise<MessagePage>;
  /** The message stored under (user, clientId), if any: tells a replay from a new message. */
  findByClientId(userId: string, clientId: string): Promise<ChatMessage | undefined>;
  close(): Promise<void>;
}

/** Nest injection token for the configured {@link MessageStore}. */
export const MESSAGE_STORE = Symbol('MessageStore');
