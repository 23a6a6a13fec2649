import type { DirectoryRoom, RoomInfo, RoomMember } from '@chat/contracts';
import type { MemberRecord, MemberRoomRecord } from '../../storage/membership-store.js';
import type { RoomRecord } from '../../storage/room-store.js';

/** True while a mute (an ISO end time, or null) holds at `now`. */
export function isMuted(mutedUntil: string | null, now = Date.now()): boolean {
  return mutedUntil !== null && Date.parse(mutedUntil) > now;
}

/** A member's room as RoomInfo: their role, counts and, on a DM, who the other person is. */
export function toRoomInfo(record: MemberRoomRecord): RoomInfo {
  return {
    name: record.name,
    kind: record.kind,
    ...(record.topic !== null && { topic: record.topic }),
    role: record.role,
    memberCount: record.memberCount,
    lastSeq: record.lastSeq,
    readSeq: record.readSeq,
    unread: record.unread,
    mentions: record.mentions,
    lastActivity: record.lastActivity,
    ...(record.dmWith && { dmWith: record.dmWith }),
    ...(isMuted(record.mutedUntil) && { muted: true as const }),
  };
}

export function toDirectoryRoom(record: RoomRecord): DirectoryRoom {
  return {
    name: record.name,
    kind: record.kind,
    ...(record.topic !== null && { topic: record.topic }),
    memberCount: record.memberCount,
    lastActivity: record.lastActivity,
  };
}

export function toRoomMember(record: MemberRecord): RoomMember {
  return { user: record.user, role: record.role, muted: isMuted(record.mutedUntil) };
}
