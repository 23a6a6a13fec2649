import type pg from 'pg';
import type { RoomPageQuery, RoomRecord, RoomStore } from '../room-store.js';
import { query } from './postgres-database.js';

export class PostgresRoomStore implements RoomStore {
  constructor(private readonly pool: pg.Pool) {}

  async exists(name: string): Promise<boolean> {
    const { rowCount } = await query(this.pool, 'SELECT 1 FROM rooms WHERE name = $1', [name]);
    return rowCount === 1;
  }

  async create(name: string, createdBy: string): Promise<boolean> {
    const { rowCount } = await query(
      this.pool,
      'INSERT INTO rooms (name, created_by) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING',
      [name, createdBy],
    );
    return rowCount === 1;
  }

  async list({ after = '', limit }: RoomPageQuery): Promise<RoomRecord[]> {
    // COLLATE "C": the same byte order as SQLite, whatever the database's locale (names are [a-z0-9_-]).
    const { rows } = await query<{ name: string; last_seq: string; last_activity: string | null }>(
      this.pool,
      `SELECT r.name, r.last_seq,
              (SELECT m.created_at FROM messages m WHERE m.room = r.name AND m.seq = r.last_seq) AS last_activity
       FROM rooms r WHERE r.name COLLATE "C" > $1 ORDER BY r.name COLLATE "C" LIMIT $2`,
      [after, limit],
    );
    return rows.map((row) => ({
      name: row.name,
      lastSeq: Number(row.last_seq),
      lastActivity: row.last_activity,
    }));
  }
}
