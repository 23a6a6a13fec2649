import type { ChatMessage, User } from '@chat/contracts';

/** A message to post, from any door: a socket, an HTTP endpoint or a module (a bot). */
export interface PostInput {
  room: string;
  text: string;
  /** The author; may be a bot (`user.bot === true`). */
  user: User;
  /** Idempotency key per user: posting it again returns the stored message. A fresh UUID when absent. */
  clientId?: string;
  /** The id of a message of the same room this one answers (shown quoted). */
  replyTo?: string;
  /** The id of a thread's root message of the same room: this is a reply in that thread. */
  threadId?: string;
  /** Ids of the author's own uploads (POST /api/uploads) not on another message; `text` may then be ''. */
  attachments?: readonly string[];
}

/** The message was stored (or had been: `duplicate`) and fanned out to the room. */
export interface PostResult {
  swallowed: false;
  message: ChatMessage;
  /** True when (user, clientId) was stored before: `message` is that earlier one, unchanged. */
  duplicate: boolean;
  /** What posting hooks said privately to the sender (MessagePostingEvent.reply). */
  replies: readonly string[];
}

/** A posting hook swallowed the message (a command): nothing was stored or shown. */
export interface PostSwallowed {
  swallowed: true;
  replies: readonly string[];
}

/** What ChatCore.post resolves with; refusals are thrown (common/errors/chat-errors.ts). */
export type PostOutcome = PostResult | PostSwallowed;

/**
 * The way back to a sender that is a connection, for the transport: the core itself never sees
 * one. A module's post has none (replies come back in the outcome instead).
 */
export interface PostSender {
  /** The client's address, for the per-IP send quota. */
  readonly ip?: string;
  /** Hook replies, right after the hooks ran; `swallowed` means no ack will follow. */
  replied(replies: readonly string[], swallowed: boolean): void;
  /** MessagePostingEvent.renameSender (`/nick`). */
  rename(name: string): void;
  /** The message is durable: before it fans out, so the sender's ack comes first. */
  stored(result: { message: ChatMessage; duplicate: boolean }): void;
  /** Storing failed (or the clientId belonged to another room). */
  failed(error: unknown): void;
}
