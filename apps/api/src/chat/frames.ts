import {
  DEFAULT_ROOM,
  PROTOCOL_V1,
  type ChatMessage,
  type ServerEventMap,
  type ServerEventName,
} from '@chat/contracts';
import { BroadcastFrame } from '../ws/broadcast-frame.js';
import { toSimpleOut } from './simple-format.js';

/** A stored message as one frame per protocol; simple clients only ever see room `general`. */
export function messageFrame(message: ChatMessage): BroadcastFrame {
  return new BroadcastFrame({
    [PROTOCOL_V1]: () => ({ event: 'message', data: message }),
    ...(message.room === DEFAULT_ROOM && { simple: () => toSimpleOut(message) }),
  });
}

/** A chat.v1-only frame for many recipients (presence, typing). */
export function envelopeFrame<E extends ServerEventName>(event: E, data: ServerEventMap[E]): BroadcastFrame {
  return new BroadcastFrame({ [PROTOCOL_V1]: () => ({ event, data }) });
}
