import type pg from 'pg';
import type { RoomKind, RoomRole, User } from '@chat/contracts';
import { type MemberRoomRow, toMemberRoom } from '../member-room-row.js';
import type {
  AddOutcome,
  MemberRecord,
  MemberRoomRecord,
  MembershipStore,
  RoomAccess,
  ReadMark,
} from '../membership-store.js';
import { query } from './postgres-database.js';
import { MEMBER_ROOMS_SQL } from './postgres-member-rooms.js';
import { transaction } from './postgres-transaction.js';

interface MemberRow {
  user_id: string;
  user_name: string;
  user_guest: boolean;
  user_bot: boolean;
  role: RoomRole;
  muted_until: string | null;
  read_seq: string;
}

const MEMBER_COLUMNS = 'user_id, user_name, user_guest, user_bot, role, muted_until, read_seq';

const toMember = (row: MemberRow): MemberRecord => ({
  user: { id: row.user_id, name: row.user_name, guest: row.user_guest, ...(row.user_bot && { bot: true }) },
  role: row.role,
  mutedUntil: row.muted_until,
  readSeq: Number(row.read_seq),
});

const ACCESS_SQL = `SELECT r.kind, m.role, m.muted_until, m.read_seq,
    EXISTS (SELECT 1 FROM room_bans b WHERE b.room = r.name AND b.user_id = $2) AS banned
  FROM rooms r LEFT JOIN room_members m ON m.room = r.name AND m.user_id = $2
  WHERE r.name = $1`;

interface AccessRow {
  kind: RoomKind;
  role: RoomRole | null;
  muted_until: string | null;
  read_seq: string | null;
  banned: boolean;
}

/** Membership in PostgreSQL: each change and its member_count update in one transaction. */
export class PostgresMembershipStore implements MembershipStore {
  constructor(private readonly pool: pg.Pool) {}

  async access(room: string, userId: string): Promise<RoomAccess | null> {
    const { rows } = await query<AccessRow>(this.pool, ACCESS_SQL, [room, userId]);
    const row = rows[0];
    if (!row) return null;
    const member =
      row.role === null
        ? null
        : { role: row.role, mutedUntil: row.muted_until, readSeq: Number(row.read_seq) };
    return { kind: row.kind, member, banned: row.banned };
  }

  add(room: string, user: User, role: RoomRole, maxMembers: number): Promise<AddOutcome> {
    return transaction(this.pool, async (client) => {
      // The room's row lock orders concurrent adds, so the limit holds under races.
      const locked = await client.query<{ member_count: number }>(
        'SELECT member_count FROM rooms WHERE name = $1 FOR UPDATE',
        [room],
      );
      const count = locked.rows[0]?.member_count;
      if (count === undefined) return 'missing';
      const { rows } = await client.query<AccessRow>(ACCESS_SQL, [room, user.id]);
      if (rows[0]?.role) return 'member';
      if (rows[0]?.banned) return 'banned';
      // general is everyone's: the limit does not apply to it.
      if (maxMembers > 0 && room !== 'general' && count >= maxMembers) return 'full';
      await client.query(
        `INSERT INTO room_members (room, user_id, user_name, user_guest, user_bot, role, read_seq, joined_at)
         SELECT $1, $2, $3, $4, $5, $6, last_seq, $7 FROM rooms WHERE name = $1`,
        [room, user.id, user.name, user.guest, user.bot === true, role, new Date().toISOString()],
      );
      await client.query('UPDATE rooms SET member_count = member_count + 1 WHERE name = $1', [room]);
      return 'added';
    });
  }

  remove(room: string, userId: string): Promise<boolean> {
    return transaction(this.pool, (client) => removeMember(client, room, userId));
  }

  ban(room: string, userId: string, bannedBy: string): Promise<boolean> {
    return transaction(this.pool, async (client) => {
      await client.query(
        'INSERT INTO room_bans (room, user_id, banned_by, created_at) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING',
        [room, userId, bannedBy, new Date().toISOString()],
      );
      return removeMember(client, room, userId);
    });
  }

  async unban(room: string, userId: string): Promise<boolean> {
    const { rowCount } = await query(this.pool, 'DELETE FROM room_bans WHERE room = $1 AND user_id = $2', [
      room,
      userId,
    ]);
    return rowCount === 1;
  }

  async setRole(room: string, userId: string, role: RoomRole): Promise<boolean> {
    const { rowCount } = await query(
      this.pool,
      'UPDATE room_members SET role = $3 WHERE room = $1 AND user_id = $2',
      [room, userId, role],
    );
    return rowCount === 1;
  }

  async setMute(room: string, userId: string, until: string | null): Promise<boolean> {
    const { rowCount } = await query(
      this.pool,
      'UPDATE room_members SET muted_until = $3 WHERE room = $1 AND user_id = $2',
      [room, userId, until],
    );
    return rowCount === 1;
  }

  async markRead(room: string, userId: string, seq: number): Promise<number | null> {
    const { rows } = await query<{ read_seq: string }>(
      this.pool,
      `UPDATE room_members m SET read_seq = least($3::bigint, r.last_seq)
       FROM rooms r WHERE r.name = m.room AND m.room = $1 AND m.user_id = $2 AND m.read_seq < least($3::bigint, r.last_seq)
       RETURNING m.read_seq`,
      [room, userId, seq],
    );
    return rows[0] ? Number(rows[0].read_seq) : null;
  }

  async markReadMany(reads: readonly ReadMark[]): Promise<(number | null)[]> {
    if (reads.length === 0) return [];
    const { rows } = await query<{ i: string; read_seq: string }>(
      this.pool,
      `UPDATE room_members m SET read_seq = least(v.seq, r.last_seq)
       FROM unnest($1::text[], $2::text[], $3::bigint[]) WITH ORDINALITY AS v(room, user_id, seq, i), rooms r
       WHERE r.name = m.room AND m.room = v.room AND m.user_id = v.user_id AND m.read_seq < least(v.seq, r.last_seq)
       RETURNING v.i, m.read_seq`,
      [reads.map((r) => r.room), reads.map((r) => r.userId), reads.map((r) => r.seq)],
    );
    const moved: (number | null)[] = reads.map(() => null);
    for (const row of rows) moved[Number(row.i) - 1] = Number(row.read_seq);
    return moved;
  }

  async members(
    room: string,
    { after = ['', ''], limit }: { after?: [string, string]; limit: number },
  ): Promise<MemberRecord[]> {
    const { rows } = await query<MemberRow>(
      this.pool,
      `SELECT ${MEMBER_COLUMNS} FROM room_members
       WHERE room = $1 AND (user_name COLLATE "C", user_id COLLATE "C") > ($2, $3)
       ORDER BY user_name COLLATE "C", user_id COLLATE "C" LIMIT $4`,
      [room, after[0], after[1], limit],
    );
    return rows.map(toMember);
  }

  async member(room: string, userId: string): Promise<MemberRecord | null> {
    const { rows } = await query<MemberRow>(
      this.pool,
      `SELECT ${MEMBER_COLUMNS} FROM room_members WHERE room = $1 AND user_id = $2`,
      [room, userId],
    );
    return rows[0] ? toMember(rows[0]) : null;
  }

  async owners(room: string): Promise<number> {
    const { rows } = await query<{ owners: string }>(
      this.pool,
      "SELECT count(*) AS owners FROM room_members WHERE room = $1 AND role = 'owner'",
      [room],
    );
    return Number(rows[0]?.owners ?? 0);
  }

  async roomsOf(userId: string, room?: string): Promise<MemberRoomRecord[]> {
    const { rows } = await query<MemberRoomRow>(this.pool, MEMBER_ROOMS_SQL, [userId, room ?? null]);
    return rows.map(toMemberRoom);
  }

  async membersNamed(room: string, names: readonly string[]): Promise<string[]> {
    if (names.length === 0) return [];
    const keys = [...new Set(names.map((name) => name.toLowerCase()))];
    const { rows } = await query<{ user_id: string }>(
      this.pool,
      'SELECT user_id FROM room_members WHERE room = $1 AND NOT user_guest AND lower(user_name) = ANY($2::text[])',
      [room, keys],
    );
    return rows.map((row) => row.user_id);
  }
}

async function removeMember(client: pg.PoolClient, room: string, userId: string): Promise<boolean> {
  const { rowCount } = await client.query('DELETE FROM room_members WHERE room = $1 AND user_id = $2', [
    room,
    userId,
  ]);
  if (rowCount !== 1) return false;
  await client.query('UPDATE rooms SET member_count = member_count - 1 WHERE name = $1', [room]);
  return true;
}
