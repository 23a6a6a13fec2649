import type Database from 'better-sqlite3';
import type { RoomKind, RoomRole, User } from '@chat/contracts';
import type {
  AddOutcome,
  MemberRecord,
  MemberRoomRecord,
  MembershipStore,
  RoomAccess,
  ReadMark,
} from '../membership-store.js';
import { DEFAULT_LOCK_WAIT_MS, whileLocked } from './sqlite-lock-wait.js';
import { type MemberRoomRow, toMemberRoom } from '../member-room-row.js';
import { MEMBER_ROOMS_SQL } from './sqlite-member-rooms.js';

interface MemberRow {
  user_id: string;
  user_name: string;
  user_guest: number;
  user_bot: number;
  role: RoomRole;
  muted_until: string | null;
  read_seq: number;
}

interface AccessRow {
  kind: RoomKind;
  role: RoomRole | null;
  muted_until: string | null;
  read_seq: number | null;
  banned: number;
}

export const userOfRow = (
  row: Pick<MemberRow, 'user_id' | 'user_name' | 'user_guest' | 'user_bot'>,
): User => ({
  id: row.user_id,
  name: row.user_name,
  guest: row.user_guest === 1,
  ...(row.user_bot === 1 && { bot: true }),
});

const toMember = (row: MemberRow): MemberRecord => ({
  user: userOfRow(row),
  role: row.role,
  mutedUntil: row.muted_until,
  readSeq: row.read_seq,
});

/** Membership in SQLite: each change and its member_count update in one transaction. */
export class SqliteMembershipStore implements MembershipStore {
  private readonly statements;
  private readonly addTx;
  private readonly removeTx;
  private readonly banTx;

  constructor(
    private readonly db: Database.Database,
    private readonly lockWaitMs = DEFAULT_LOCK_WAIT_MS,
  ) {
    const s = {
      access: db.prepare<[{ room: string; user: string }], AccessRow>(
        `SELECT r.kind, m.role, m.muted_until, m.read_seq,
                EXISTS (SELECT 1 FROM room_bans b WHERE b.room = r.name AND b.user_id = @user) AS banned
         FROM rooms r LEFT JOIN room_members m ON m.room = r.name AND m.user_id = @user
         WHERE r.name = @room`,
      ),
      insert: db.prepare(
        `INSERT INTO room_members (room, user_id, user_name, user_guest, user_bot, role, read_seq, joined_at)
         SELECT ?, ?, ?, ?, ?, ?, last_seq, ? FROM rooms WHERE name = ? ON CONFLICT DO NOTHING`,
      ),
      delete: db.prepare('DELETE FROM room_members WHERE room = ? AND user_id = ?'),
      count: db.prepare('UPDATE rooms SET member_count = member_count + ? WHERE name = ?'),
      ban: db.prepare(
        'INSERT INTO room_bans (room, user_id, banned_by, created_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING',
      ),
      unban: db.prepare('DELETE FROM room_bans WHERE room = ? AND user_id = ?'),
      role: db.prepare('UPDATE room_members SET role = ? WHERE room = ? AND user_id = ?'),
      mute: db.prepare('UPDATE room_members SET muted_until = ? WHERE room = ? AND user_id = ?'),
      read: db.prepare<[{ seq: number; room: string; user: string }], { read_seq: number }>(
        `UPDATE room_members SET read_seq = min(@seq, (SELECT last_seq FROM rooms WHERE name = @room))
         WHERE room = @room AND user_id = @user AND read_seq < min(@seq, (SELECT last_seq FROM rooms WHERE name = @room))
         RETURNING read_seq`,
      ),
      members: db.prepare<[{ room: string; name: string; id: string; limit: number }], MemberRow>(
        `SELECT user_id, user_name, user_guest, user_bot, role, muted_until, read_seq FROM room_members
         WHERE room = @room AND (user_name > @name OR (user_name = @name AND user_id > @id))
         ORDER BY user_name, user_id LIMIT @limit`,
      ),
      owners: db.prepare<[string], { owners: number }>(
        "SELECT count(*) AS owners FROM room_members WHERE room = ? AND role = 'owner'",
      ),
      member: db.prepare<[string, string], MemberRow>(
        `SELECT user_id, user_name, user_guest, user_bot, role, muted_until, read_seq FROM room_members
         WHERE room = ? AND user_id = ?`,
      ),
      roomsOf: db.prepare<[{ user: string; room: string | null }], MemberRoomRow>(MEMBER_ROOMS_SQL),
    };
    this.statements = s;
    this.addTx = db.transaction((room: string, user: User, role: RoomRole, max: number): AddOutcome => {
      const access = s.access.get({ room, user: user.id });
      if (!access) return 'missing';
      if (access.role !== null) return 'member';
      if (access.banned) return 'banned';
      const count =
        db.prepare<[string], number>('SELECT member_count FROM rooms WHERE name = ?').pluck().get(room) ?? 0;
      // general is everyone's: the limit does not apply to it.
      if (max > 0 && room !== 'general' && count >= max) return 'full';
      const now = new Date().toISOString();
      s.insert.run(room, user.id, user.name, user.guest ? 1 : 0, user.bot ? 1 : 0, role, now, room);
      s.count.run(1, room);
      return 'added';
    });
    this.removeTx = db.transaction((room: string, userId: string) => {
      const removed = s.delete.run(room, userId).changes === 1;
      if (removed) s.count.run(-1, room);
      return removed;
    });
    this.banTx = db.transaction((room: string, userId: string, by: string) => {
      s.ban.run(room, userId, by, new Date().toISOString());
      return this.removeTx(room, userId);
    });
  }

  private run<T>(work: () => T): Promise<T> {
    return whileLocked(work, this.lockWaitMs);
  }

  access(room: string, userId: string): Promise<RoomAccess | null> {
    return this.run(() => {
      const row = this.statements.access.get({ room, user: userId });
      if (!row) return null;
      const member =
        row.role === null
          ? null
          : { role: row.role, mutedUntil: row.muted_until, readSeq: row.read_seq ?? 0 };
      return { kind: row.kind, member, banned: row.banned === 1 };
    });
  }

  add(room: string, user: User, role: RoomRole, maxMembers: number): Promise<AddOutcome> {
    return this.run(() => this.addTx.immediate(room, user, role, maxMembers));
  }

  remove(room: string, userId: string): Promise<boolean> {
    return this.run(() => this.removeTx.immediate(room, userId));
  }

  ban(room: string, userId: string, bannedBy: string): Promise<boolean> {
    return this.run(() => this.banTx.immediate(room, userId, bannedBy));
  }

  unban(room: string, userId: string): Promise<boolean> {
    return this.run(() => this.statements.unban.run(room, userId).changes === 1);
  }

  setRole(room: string, userId: string, role: RoomRole): Promise<boolean> {
    return this.run(() => this.statements.role.run(role, room, userId).changes === 1);
  }

  setMute(room: string, userId: string, until: string | null): Promise<boolean> {
    return this.run(() => this.statements.mute.run(until, room, userId).changes === 1);
  }

  markRead(room: string, userId: string, seq: number): Promise<number | null> {
    return this.run(() => this.statements.read.get({ seq, room, user: userId })?.read_seq ?? null);
  }

  markReadMany(reads: readonly ReadMark[]): Promise<(number | null)[]> {
    return this.run(() =>
      this.db.transaction(() =>
        reads.map(
          ({ room, userId, seq }) => this.statements.read.get({ seq, room, user: userId })?.read_seq ?? null,
        ),
      )(),
    );
  }

  members(
    room: string,
    { after = ['', ''], limit }: { after?: [string, string]; limit: number },
  ): Promise<MemberRecord[]> {
    return this.run(() =>
      this.statements.members.all({ room, name: after[0], id: after[1], limit }).map(toMember),
    );
  }

  member(room: string, userId: string): Promise<MemberRecord | null> {
    return this.run(() => {
      const row = this.statements.member.get(room, userId);
      return row ? toMember(row) : null;
    });
  }

  owners(room: string): Promise<number> {
    return this.run(() => this.statements.owners.get(room)?.owners ?? 0);
  }

  roomsOf(userId: string, room?: string): Promise<MemberRoomRecord[]> {
    return this.run(() =>
      this.statements.roomsOf.all({ user: userId, room: room ?? null }).map(toMemberRoom),
    );
  }

  membersNamed(room: string, names: readonly string[]): Promise<string[]> {
    if (names.length === 0) return Promise.resolve([]);
    const keys = [...new Set(names.map((name) => name.toLowerCase()))];
    // One statement per distinct count of names would be cached; mentions are few, so prepare per call.
    const sql = `SELECT user_id FROM room_members WHERE room = ? AND user_guest = 0 AND lower(user_name) IN (${keys.map(() => '?').join(', ')})`;
    return this.run(() =>
      this.db
        .prepare<unknown[], string>(sql)
        .pluck()
        .all(room, ...keys),
    );
  }
}
