import type { RoomChange, User } from '@chat/contracts';
import type { ChangeDraft } from '../../storage/message-store.js';

interface ChangeBase {
  room: string;
  /** The id of the message to change. */
  id: string;
  /** Who asks; may be a bot. */
  user: User;
  /** Idempotency key per user (shared with messages): repeating it returns the logged change. A fresh UUID when absent. */
  clientId?: string;
}

/** A change to a message, from any door: a socket, an HTTP endpoint or a module. */
export type ChangeInput =
  | (ChangeBase & { kind: 'edit'; text: string })
  | (ChangeBase & { kind: 'delete' })
  | (ChangeBase & { kind: 'react'; emoji: string; on: boolean });

/** The change was logged (or had been: `duplicate`) and fanned out to the room. */
export interface ChangeApplied {
  swallowed: false;
  /** The logged event: its `data.seq` is the change's own seq. */
  change: RoomChange;
  /** When it was logged (an edit's `editedAt`). */
  time: string;
  duplicate: boolean;
  /** What posting hooks told the sender privately (edits run the posting hooks). */
  replies: readonly string[];
}

/** A posting hook swallowed an edit: nothing was logged. */
export interface ChangeSwallowed {
  swallowed: true;
  replies: readonly string[];
}

export type ChangeOutcome = ChangeApplied | ChangeSwallowed;

/** What the first half decided, for transports: swallowed, or this draft is to be logged. */
export type AcceptedChange =
  ChangeSwallowed | { swallowed: false; replies: readonly string[]; draft: ChangeDraft };

/** The way back to a connection that asked for a change (see PostSender). */
export interface ChangeSender {
  readonly ip?: string;
  replied(replies: readonly string[], swallowed: boolean): void;
  /** Durable: before it fans out, so the sender's ack comes first. */
  stored(result: { change: RoomChange; time: string; duplicate: boolean }): void;
  failed(error: unknown): void;
}
