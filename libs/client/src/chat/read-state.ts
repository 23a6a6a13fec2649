import type { ChatMessage, Joined, RoomInfo } from '@chat/contracts';
import type { RoomState } from './chat-state.js';

/**
 * Unread and mention counts. The server's RoomInfo counts up to its lastSeq; what arrives after
 * is counted here, each message once, until the server reports again. A read marker moved on
 * another device (`read`) or here recounts from the messages held, when they cover the range.
 */

/** Counts as unread: by someone else, in the main conversation (not a thread reply), not deleted. */
function countsAsUnread(message: ChatMessage, meId: string | undefined): boolean {
  return message.user.id !== meId && !message.threadId && !message.deleted;
}

function mentionsMe(message: ChatMessage, meId: string | undefined): boolean {
  return meId !== undefined && (message.mentions ?? []).includes(meId);
}

/** The server reported the room (`rooms`, `room.added`): its counts replace ours. */
export function withInfo(room: RoomState, info: RoomInfo): RoomState {
  return { ...room, info, countedUntil: info.lastSeq, mentionSeqs: [] };
}

/** A new message arrived live: count it once if it is past what the server's counts cover. */
export function countNewMessage(room: RoomState, message: ChatMessage, meId: string | undefined): RoomState {
  const info = room.info;
  if (!info || message.seq <= room.countedUntil) return room;
  const countable = countsAsUnread(message, meId) && message.seq > info.readSeq;
  const mention = countable && mentionsMe(message, meId) && !room.mentionSeqs.includes(message.seq);
  return {
    ...room,
    countedUntil: message.seq,
    mentionSeqs: mention ? [...room.mentionSeqs, message.seq] : room.mentionSeqs,
    info: {
      ...info,
      lastSeq: Math.max(info.lastSeq, message.seq),
      lastActivity: message.time,
      unread: info.unread + (countable ? 1 : 0),
      mentions: info.mentions + (mention ? 1 : 0),
    },
  };
}

/** A `mention` event (your own channel): counted once, whichever of it and its message comes first. */
export function countMention(room: RoomState, seq: number): RoomState {
  const info = room.info;
  // At or below countedUntil its message was already counted (or is in the server's report).
  if (!info || seq <= info.readSeq || seq <= room.countedUntil || room.mentionSeqs.includes(seq)) return room;
  return { ...room, mentionSeqs: [...room.mentionSeqs, seq], info: { ...info, mentions: info.mentions + 1 } };
}

/** Your read marker moved to `seq` (here, or `read` from another connection); never backwards. */
export function applyRead(room: RoomState, seq: number, meId: string | undefined): RoomState {
  const info = room.info;
  if (!info || seq <= info.readSeq) return room;
  const newest = Math.max(room.countedUntil, info.lastSeq, room.messages.at(-1)?.seq ?? 0);
  const mentionSeqs = room.mentionSeqs.filter((s) => s > seq);
  if (seq >= newest) return { ...room, mentionSeqs, info: { ...info, readSeq: seq, unread: 0, mentions: 0 } };
  const oldest = room.messages[0];
  const covered = oldest !== undefined && (!room.hasMore || oldest.seq <= seq);
  if (!covered) return { ...room, mentionSeqs, info: { ...info, readSeq: seq } };
  const after = room.messages.filter((m) => m.seq > seq && countsAsUnread(m, meId));
  return {
    ...room,
    mentionSeqs,
    info: {
      ...info,
      readSeq: seq,
      unread: after.length,
      mentions: after.filter((m) => mentionsMe(m, meId)).length,
    },
  };
}

/** The seq up to which the reader has now seen the room: its newest event held. */
export function readableSeq(room: RoomState): number {
  return Math.max(room.lastSeq, room.messages.at(-1)?.seq ?? 0);
}

/** What a guest's browser counts a room by: read up to where it joined, nothing unread yet. */
export function guestRoomInfo({ room, lastSeq }: Joined): RoomInfo {
  return {
    name: room,
    kind: 'public',
    role: 'member',
    memberCount: 0,
    lastSeq,
    readSeq: lastSeq,
    unread: 0,
    mentions: 0,
    lastActivity: null,
  };
}
