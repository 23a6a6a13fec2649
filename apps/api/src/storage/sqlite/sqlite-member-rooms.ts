// The member-rooms query of SQLite (see member-room-row.ts for the row it yields).

import { UNREAD_COUNT_MAX } from '@chat/contracts';

/**
 * One user's rooms (@user) with that user's counts, or only room @room. `unread` counts messages by
 * others after the read marker that are not deleted and not thread replies (threads have their
 * own panel); `mentions` those of them with a message_mentions row for the user. Both stop at
 * UNREAD_COUNT_MAX: a marker far behind must not cost a read of the whole room per connection.
 */
export const MEMBER_ROOMS_SQL = `
  SELECT r.name, r.kind, r.topic, m.role, r.member_count, r.last_seq, m.read_seq, m.muted_until,
         (SELECT count(*) FROM (SELECT 1 FROM messages x
           WHERE x.room = r.name AND x.seq > m.read_seq AND x.user_id <> m.user_id
             AND x.deleted = 0 AND x.thread_id IS NULL LIMIT ${UNREAD_COUNT_MAX}) AS capped) AS unread,
         (SELECT count(*) FROM (SELECT 1 FROM message_mentions mm JOIN messages x ON x.room = mm.room AND x.seq = mm.seq
           WHERE mm.user_id = m.user_id AND mm.room = r.name AND mm.seq > m.read_seq
             AND x.user_id <> m.user_id AND x.deleted = 0 LIMIT ${UNREAD_COUNT_MAX}) AS capped) AS mentions,
         (SELECT x.created_at FROM messages x WHERE x.room = r.name ORDER BY x.seq DESC LIMIT 1) AS last_activity,
         o.user_id AS dm_id, o.user_name AS dm_name, o.user_guest AS dm_guest, o.user_bot AS dm_bot
  FROM room_members m
  JOIN rooms r ON r.name = m.room
  LEFT JOIN room_members o ON r.kind = 'dm' AND o.room = r.name AND o.user_id <> m.user_id
  WHERE m.user_id = @user AND (@room IS NULL OR m.room = @room)
  ORDER BY r.name`;
