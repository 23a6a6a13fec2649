import type { ChatMessage, SimpleOut } from '@chat/contracts';

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
    // A guest's name is whatever it typed: say so, so nobody takes it for the account's owner.
    guest: message.user.guest,
  };
}
