import type Database from 'better-sqlite3';
import {
  UPLOAD_COLUMNS as COLUMNS,
  toStoredAttachment,
  toUploadLookup,
  toUploadRecord,
  type UploadRow,
} from '../upload-rows.js';
import type { StoredAttachment, UploadLookup, UploadRecord, UploadStore } from '../upload-store.js';
import { DEFAULT_LOCK_WAIT_MS, whileLocked } from './sqlite-lock-wait.js';

/** No thrown value of ours escapes a transaction: this one only rolls a partial take back. */
class NotAllTaken extends Error {}

/** Uploads' metadata in SQLite; a lock held by another process is waited for without blocking. */
export class SqliteUploadStore implements UploadStore {
  private readonly statements;
  private readonly takeAll;

  constructor(
    db: Database.Database,
    private readonly lockWaitMs = DEFAULT_LOCK_WAIT_MS,
  ) {
    this.statements = {
      insert: db.prepare(
        `INSERT INTO uploads (id, owner_id, name, size, type, width, height, thumbnail, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      find: db.prepare<[string], UploadRow>(
        `SELECT ${COLUMNS}, m.id AS message_id, m.room AS message_room, m.deleted AS message_deleted
         FROM uploads u LEFT JOIN messages m ON m.user_id = u.owner_id AND m.client_id = u.client_id
         WHERE u.id = ?`,
      ),
      take: db.prepare<[string, number, string, string, string], UploadRow>(
        `UPDATE uploads SET client_id = ?, position = ?
         WHERE id = ? AND owner_id = ? AND (client_id IS NULL OR client_id = ?) RETURNING ${COLUMNS.replaceAll('u.', '')}`,
      ),
      ofMessage: db.prepare<[string, string], UploadRow>(
        `SELECT ${COLUMNS} FROM uploads u WHERE u.owner_id = ? AND u.client_id = ? ORDER BY u.position`,
      ),
      stale: db.prepare<[string, number], UploadRow>(
        `SELECT ${COLUMNS} FROM uploads u WHERE u.created_at < ? AND (u.client_id IS NULL OR NOT EXISTS (
           SELECT 1 FROM messages m WHERE m.user_id = u.owner_id AND m.client_id = u.client_id AND m.deleted = 0))
         ORDER BY u.created_at LIMIT ?`,
      ),
      remove: db.prepare('DELETE FROM uploads WHERE id = ?'),
    };
    this.takeAll = db.transaction((ownerId: string, clientId: string, ids: readonly string[]) =>
      ids.map((id, position) => {
        const row = this.statements.take.get(clientId, position, id, ownerId, clientId);
        if (!row) throw new NotAllTaken();
        return toStoredAttachment(row);
      }),
    );
  }

  create(record: Omit<UploadRecord, 'clientId'>): Promise<void> {
    return whileLocked(() => {
      this.statements.insert.run(
        record.id,
        record.ownerId,
        record.name,
        record.size,
        record.type,
        record.width ?? null,
        record.height ?? null,
        record.thumbnail ? 1 : 0,
        record.createdAt,
      );
    }, this.lockWaitMs);
  }

  find(id: string): Promise<UploadLookup | undefined> {
    return whileLocked(() => {
      const row = this.statements.find.get(id);
      return row && toUploadLookup(row);
    }, this.lockWaitMs);
  }

  take(ownerId: string, clientId: string, ids: readonly string[]): Promise<StoredAttachment[] | null> {
    return whileLocked(() => {
      try {
        return this.takeAll.immediate(ownerId, clientId, ids);
      } catch (error) {
        if (error instanceof NotAllTaken) return null;
        throw error;
      }
    }, this.lockWaitMs);
  }

  ofMessage(ownerId: string, clientId: string): Promise<UploadRecord[]> {
    return whileLocked(
      () => this.statements.ofMessage.all(ownerId, clientId).map(toUploadRecord),
      this.lockWaitMs,
    );
  }

  stale(before: string, limit: number): Promise<UploadRecord[]> {
    return whileLocked(() => this.statements.stale.all(before, limit).map(toUploadRecord), this.lockWaitMs);
  }

  remove(id: string): Promise<void> {
    return whileLocked(() => {
      this.statements.remove.run(id);
    }, this.lockWaitMs);
  }
}
