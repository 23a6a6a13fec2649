import type { RoomKind, RoomRole } from '@chat/contracts';
import type { MemberRoomRecord } from './membership-store.js';

/** A row of either adapter's member-rooms query (numbers may arrive as strings, flags as 0/1 or booleans). */
export interface MemberRoomRow {
  name: string;
  kind: RoomKind;
  topic: string | null;
  role: RoomRole;
  member_count: number | string;
  last_seq: number | string;
  read_seq: number | string;
  unread: number | string;
  mentions: number | string;
  last_activity: string | null;
  muted_until: string | null;
  dm_id: string | null;
  dm_name: string | null;
  dm_guest: number | boolean | null;
  dm_bot: number | boolean | null;
}

export function toMemberRoom(row: MemberRoomRow): MemberRoomRecord {
  return {
    name: row.name,
    kind: row.kind,
    topic: row.topic,
    role: row.role,
    memberCount: Number(row.member_count),
    lastSeq: Number(row.last_seq),
    readSeq: Number(row.read_seq),
    unread: Number(row.unread),
    mentions: Number(row.mentions),
    lastActivity: row.last_activity,
    mutedUntil: row.muted_until,
    dmWith:
      row.dm_id === null || row.dm_name === null
        ? null
        : {
            id: row.dm_id,
            name: row.dm_name,
            guest: Boolean(row.dm_guest),
            ...(Boolean(row.dm_bot) && { bot: true as const }),
          },
  };
}
