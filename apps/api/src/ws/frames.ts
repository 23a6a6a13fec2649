import type { ChatMessage, ServerEventMap, ServerEventName } from '@chat/contracts';
import { BroadcastFrame } from './broadcast-frame.js';

/** A stored message for every member of its room, in each protocol's shape. */
export function messageFrame(message: ChatMessage): BroadcastFrame {
  return new BroadcastFrame((renderer) => renderer.message(message));
}

/** An event for many recipients (presence, typing): chat.v1 only, as its renderer decides. */
export function envelopeFrame<E extends ServerEventName>(event: E, data: ServerEventMap[E]): BroadcastFrame {
  return new BroadcastFrame((renderer) => renderer.event(event, data));
}
