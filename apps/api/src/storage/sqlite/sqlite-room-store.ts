import type Database from 'better-sqlite3';
import type { RoomKind, User } from '@chat/contracts';
import type { NewRoom, RoomPageQuery, RoomRecord, RoomStore } from '../room-store.js';
import { DEFAULT_LOCK_WAIT_MS, whileLocked } from './sqlite-lock-wait.js';

interface RoomRow {
  name: string;
  kind: RoomKind;
  topic: string | null;
  member_count: number;
  last_seq: number;
  last_activity: string | null;
}

// The newest message's time: the log's last seq may be a change event rather than a message.
const COLUMNS = `r.name, r.kind, r.topic, r.member_count, r.last_seq,
  (SELECT m.created_at FROM messages m WHERE m.room = r.name ORDER BY m.seq DESC LIMIT 1) AS last_activity`;

const toRecord = (row: RoomRow): RoomRecord => ({
  name: row.name,
  kind: row.kind,
  topic: row.topic,
  memberCount: row.member_count,
  lastSeq: row.last_seq,
  lastActivity: row.last_activity,
});

/** Rooms in SQLite; a lock held by another process is waited for without blocking (see whileLocked). */
export class SqliteRoomStore implements RoomStore {
  private readonly statements;
  private readonly createRoom;
  private readonly createDirect;

  constructor(
    db: Database.Database,
    private readonly lockWaitMs = DEFAULT_LOCK_WAIT_MS,
  ) {
    const member = db.prepare(
      `INSERT INTO room_members (room, user_id, user_name, user_guest, user_bot, role, read_seq, joined_at)
       VALUES (?, ?, ?, ?, ?, ?, 0, ?) ON CONFLICT DO NOTHING`,
    );
    const insert = db.prepare(
      `INSERT INTO rooms (name, last_seq, created_at, created_by, kind, topic, member_count)
       VALUES (?, 0, ?, ?, ?, ?, ?) ON CONFLICT (name) DO NOTHING`,
    );
    const addMember = (room: string, user: User, role: string, now: string) =>
      member.run(room, user.id, user.name, user.guest ? 1 : 0, user.bot ? 1 : 0, role, now);
    this.createRoom = db.transaction((name: string, room: NewRoom) => {
      const now = new Date().toISOString();
      if (insert.run(name, now, room.owner.id, room.kind, room.topic ?? null, 1).changes !== 1) return false;
      addMember(name, room.owner, 'owner', now);
      return true;
    });
    const pair = db.prepare(
      'INSERT INTO direct_rooms (user_low, user_high, room) VALUES (?, ?, ?) ON CONFLICT DO NOTHING',
    );
    this.createDirect = db.transaction((name: string, a: User, b: User) => {
      const now = new Date().toISOString();
      if (insert.run(name, now, a.id, 'dm', null, 2).changes !== 1) return false;
      const [low, high] = a.id < b.id ? [a, b] : [b, a];
      pair.run(low.id, high.id, name);
      addMember(name, a, 'member', now);
      addMember(name, b, 'member', now);
      return true;
    });
    this.statements = {
      exists: db.prepare<[string], number>('SELECT 1 FROM rooms WHERE name = ?').pluck(),
      find: db.prepare<[string], RoomRow>(`SELECT ${COLUMNS} FROM rooms r WHERE r.name = ?`),
      list: db.prepare<[{ after: string; prefix: string; limit: number; kind: string | null }], RoomRow>(
        `SELECT ${COLUMNS} FROM rooms r
         WHERE r.name > @after AND substr(r.name, 1, length(@prefix)) = @prefix AND (@kind IS NULL OR r.kind = @kind)
         ORDER BY r.name LIMIT @limit`,
      ),
      topic: db.prepare('UPDATE rooms SET topic = ? WHERE name = ?'),
      // A member who left a DM is back in it when either side opens it again.
      rejoin: db.prepare(
        `INSERT INTO room_members (room, user_id, user_name, user_guest, user_bot, role, read_seq, joined_at)
         SELECT ?, ?, ?, ?, ?, 'member', last_seq, ? FROM rooms WHERE name = ? ON CONFLICT DO NOTHING`,
      ),
      recount: db.prepare(
        'UPDATE rooms SET member_count = (SELECT count(*) FROM room_members WHERE room = @name) WHERE name = @name',
      ),
    };
  }

  exists(name: string): Promise<boolean> {
    return whileLocked(() => this.statements.exists.get(name) !== undefined, this.lockWaitMs);
  }

  find(name: string): Promise<RoomRecord | null> {
    return whileLocked(() => {
      const row = this.statements.find.get(name);
      return row ? toRecord(row) : null;
    }, this.lockWaitMs);
  }

  create(name: string, room: NewRoom): Promise<boolean> {
    return whileLocked(() => this.createRoom.immediate(name, room), this.lockWaitMs);
  }

  list({ after = '', limit, prefix = '', kind }: RoomPageQuery): Promise<RoomRecord[]> {
    return whileLocked(
      () => this.statements.list.all({ after, prefix, limit, kind: kind ?? null }).map(toRecord),
      this.lockWaitMs,
    );
  }

  setTopic(name: string, topic: string | null): Promise<boolean> {
    return whileLocked(() => this.statements.topic.run(topic, name).changes === 1, this.lockWaitMs);
  }

  openDirect(name: string, a: User, b: User): Promise<boolean> {
    return whileLocked(() => {
      if (this.createDirect.immediate(name, a, b)) return true;
      const now = new Date().toISOString();
      const { rejoin, recount } = this.statements;
      let changed = 0;
      for (const user of [a, b]) {
        changed += rejoin.run(
          name,
          user.id,
          user.name,
          user.guest ? 1 : 0,
          user.bot ? 1 : 0,
          now,
          name,
        ).changes;
      }
      if (changed > 0) recount.run({ name });
      return false;
    }, this.lockWaitMs);
  }
}
