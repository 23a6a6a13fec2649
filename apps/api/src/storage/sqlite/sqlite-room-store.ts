import type Database from 'better-sqlite3';
import type { RoomPageQuery, RoomRecord, RoomStore } from '../room-store.js';
import { DEFAULT_LOCK_WAIT_MS, whileLocked } from './sqlite-lock-wait.js';

/** Rooms in SQLite; a lock held by another process is waited for without blocking (see whileLocked). */
export class SqliteRoomStore implements RoomStore {
  private readonly statements;

  constructor(
    db: Database.Database,
    private readonly lockWaitMs = DEFAULT_LOCK_WAIT_MS,
  ) {
    this.statements = {
      exists: db.prepare<[string], number>('SELECT 1 FROM rooms WHERE name = ?').pluck(),
      create: db.prepare(
        'INSERT INTO rooms (name, last_seq, created_at, created_by) VALUES (?, 0, ?, ?) ON CONFLICT (name) DO NOTHING',
      ),
      list: db.prepare<[string, number], { name: string; last_seq: number; last_activity: string | null }>(
        `SELECT r.name, r.last_seq,
                (SELECT m.created_at FROM messages m WHERE m.room = r.name AND m.seq = r.last_seq) AS last_activity
         FROM rooms r WHERE r.name > ? ORDER BY r.name LIMIT ?`,
      ),
    };
  }

  exists(name: string): Promise<boolean> {
    return whileLocked(() => this.statements.exists.get(name) !== undefined, this.lockWaitMs);
  }

  create(name: string, createdBy: string): Promise<boolean> {
    return whileLocked(
      () => this.statements.create.run(name, new Date().toISOString(), createdBy).changes === 1,
      this.lockWaitMs,
    );
  }

  list({ after = '', limit }: RoomPageQuery): Promise<RoomRecord[]> {
    return whileLocked(
      () =>
        this.statements.list
          .all(after, limit)
          .map((row) => ({ name: row.name, lastSeq: row.last_seq, lastActivity: row.last_activity })),
      this.lockWaitMs,
    );
  }
}
