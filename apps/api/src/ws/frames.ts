import type { ChatMessage, ServerEventMap, ServerEventName } from '@chat/contracts';
import type { LogEntry } from '../storage/message-store.js';
import { BroadcastFrame } from './broadcast-frame.js';

/** A stored message for every member of its room, in each protocol's shape. */
export function messageFrame(message: ChatMessage): BroadcastFrame {
  return new BroadcastFrame((renderer) => renderer.message(message));
}

/** An event for many recipients (presence, typing): chat.v1 only, as its renderer decides. */
export function envelopeFrame<E extends ServerEventName>(event: E, data: ServerEventMap[E]): BroadcastFrame {
  return new BroadcastFrame((renderer) => renderer.event(event, data));
}

/**
 * An entry of a room's log for every member: a message as {@link messageFrame}, a change (edit,
 * delete, reaction, membership) as its event; protocols without such events (simple) skip it.
 */
export function logEntryFrame(entry: LogEntry): BroadcastFrame {
  return entry.event === 'message' ? messageFrame(entry.data) : envelopeFrame(entry.event, entry.data);
}
