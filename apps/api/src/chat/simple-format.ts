import { DEFAULT_ROOM, PROTOCOL_V1, type ChatMessage, type SimpleOut } from '@chat/contracts';
import { BroadcastFrame } from '../ws/broadcast-frame.js';

/** Server local time as HH:MM:SS, the simple protocol's time format. */
export function clockTime(date: Date): string {
  return date.toTimeString().slice(0, 8);
}

export function toSimpleOut(message: ChatMessage): SimpleOut {
  return {
    name: message.user.name,
    message: message.text,
    time: clockTime(new Date(message.time)),
    id: message.id,
    seq: message.seq,
    room: message.room,
  };
}

/** A stored message as one frame per protocol; simple clients only ever see room `general`. */
export function messageFrame(message: ChatMessage): BroadcastFrame {
  return new BroadcastFrame({
    [PROTOCOL_V1]: () => ({ event: 'message', data: message }),
    ...(message.room === DEFAULT_ROOM && { simple: () => toSimpleOut(message) }),
  });
}
