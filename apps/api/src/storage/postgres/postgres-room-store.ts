import type pg from 'pg';
import type { RoomKind, User } from '@chat/contracts';
import type { NewRoom, RoomPageQuery, RoomRecord, RoomStore } from '../room-store.js';
import { query } from './postgres-database.js';
import { transaction } from './postgres-transaction.js';

interface RoomRow {
  name: string;
  kind: RoomKind;
  topic: string | null;
  member_count: number;
  last_seq: string;
  last_activity: string | null;
}

// The newest message's time: the log's last seq may be a change event rather than a message.
const COLUMNS = `r.name, r.kind, r.topic, r.member_count, r.last_seq,
  (SELECT m.created_at FROM messages m WHERE m.room = r.name ORDER BY m.seq DESC LIMIT 1) AS last_activity`;

const toRecord = (row: RoomRow): RoomRecord => ({
  name: row.name,
  kind: row.kind,
  topic: row.topic,
  memberCount: Number(row.member_count),
  lastSeq: Number(row.last_seq),
  lastActivity: row.last_activity,
});

// read_seq starts at the room's newest seq: a member who comes (back) does not find its past unread.
const ADD_MEMBER = `INSERT INTO room_members (room, user_id, user_name, user_guest, user_bot, role, read_seq, joined_at)
  SELECT $1, $2, $3, $4, $5, $6, last_seq, $7 FROM rooms WHERE name = $1 ON CONFLICT DO NOTHING`;

const addMember = (client: pg.PoolClient, room: string, user: User, role: string) =>
  client.query(ADD_MEMBER, [
    room,
    user.id,
    user.name,
    user.guest,
    user.bot === true,
    role,
    new Date().toISOString(),
  ]);

export class PostgresRoomStore implements RoomStore {
  constructor(private readonly pool: pg.Pool) {}

  async exists(name: string): Promise<boolean> {
    const { rowCount } = await query(this.pool, 'SELECT 1 FROM rooms WHERE name = $1', [name]);
    return rowCount === 1;
  }

  async find(name: string): Promise<RoomRecord | null> {
    const { rows } = await query<RoomRow>(this.pool, `SELECT ${COLUMNS} FROM rooms r WHERE r.name = $1`, [
      name,
    ]);
    return rows[0] ? toRecord(rows[0]) : null;
  }

  create(name: string, room: NewRoom): Promise<boolean> {
    return transaction(this.pool, async (client) => {
      const { rowCount } = await client.query(
        `INSERT INTO rooms (name, created_by, kind, topic, member_count) VALUES ($1, $2, $3, $4, 1)
         ON CONFLICT (name) DO NOTHING`,
        [name, room.owner.id, room.kind, room.topic ?? null],
      );
      if (rowCount !== 1) return false;
      await addMember(client, name, room.owner, 'owner');
      return true;
    });
  }

  async list({ after = '', limit, prefix = '', kind }: RoomPageQuery): Promise<RoomRecord[]> {
    // COLLATE "C": the same byte order as SQLite, whatever the database's locale (names are [a-z0-9_-]).
    const { rows } = await query<RoomRow>(
      this.pool,
      `SELECT ${COLUMNS} FROM rooms r
       WHERE r.name COLLATE "C" > $1 AND left(r.name, length($3)) = $3 AND ($4::text IS NULL OR r.kind = $4)
       ORDER BY r.name COLLATE "C" LIMIT $2`,
      [after, limit, prefix, kind ?? null],
    );
    return rows.map(toRecord);
  }

  async setTopic(name: string, topic: string | null): Promise<boolean> {
    const { rowCount } = await query(this.pool, 'UPDATE rooms SET topic = $2 WHERE name = $1', [name, topic]);
    return rowCount === 1;
  }

  openDirect(name: string, a: User, b: User): Promise<boolean> {
    return transaction(this.pool, async (client) => {
      const { rowCount } = await client.query(
        `INSERT INTO rooms (name, created_by, kind, member_count) VALUES ($1, $2, 'dm', 0)
         ON CONFLICT (name) DO NOTHING`,
        [name, a.id],
      );
      const created = rowCount === 1;
      if (created) {
        const [low, high] = a.id < b.id ? [a.id, b.id] : [b.id, a.id];
        await client.query('INSERT INTO direct_rooms (user_low, user_high, room) VALUES ($1, $2, $3)', [
          low,
          high,
          name,
        ]);
      }
      // Both are members again (one may have left it): the count follows the rows.
      await addMember(client, name, a, 'member');
      await addMember(client, name, b, 'member');
      await client.query(
        'UPDATE rooms SET member_count = (SELECT count(*) FROM room_members WHERE room = $1) WHERE name = $1',
        [name],
      );
      return created;
    });
  }
}
