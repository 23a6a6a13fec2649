import type Database from 'better-sqlite3';
import {
  UPLOAD_COLUMNS as COLUMNS,
  toStoredAttachment,
  toUploadLookup,
  toUploadRecord,
  type UploadRow,
} from '../upload-rows.js';
import {
  isSameSendOf,
  type StoredAttachment,
  type UploadLookup,
  type UploadRecord,
  type UploadStore,
  type UploadTaker,
} from '../upload-store.js';
import { DEFAULT_LOCK_WAIT_MS, whileLocked } from './sqlite-lock-wait.js';

/**
 * No live message holds the upload `u`, stale as of the parameter `@before` (see UploadStore.stale).
 * A taken upload whose message is not stored counts from its take, not its upload: a send in
 * flight has not stored its message yet. One whose message is stored (and so deleted) is stale.
 */
const STALE = `(u.removing = 1 OR (u.client_id IS NULL AND u.created_at < @before) OR (u.client_id IS NOT NULL
  AND NOT EXISTS (SELECT 1 FROM messages m WHERE m.user_id = u.owner_id AND m.client_id = u.client_id
    AND m.room = u.room AND m.deleted = 0)
  AND (u.taken_at < @before OR EXISTS (SELECT 1 FROM messages m WHERE m.user_id = u.owner_id
    AND m.client_id = u.client_id AND m.room = u.room))))`;

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
           AND m.room = u.room
         WHERE u.id = ?`,
      ),
      held: db.prepare<[string, string], { id: string }>(
        'SELECT id FROM uploads WHERE owner_id = ? AND client_id = ?',
      ),
      take: db.prepare<
        { clientId: string; room: string; position: number; at: string; id: string; ownerId: string },
        UploadRow
      >(
        `UPDATE uploads SET client_id = @clientId, room = @room, position = @position, taken_at = @at
         WHERE id = @id AND owner_id = @ownerId AND removing = 0
           AND (client_id IS NULL OR (client_id = @clientId AND room = @room))
         RETURNING ${COLUMNS.replaceAll('u.', '')}`,
      ),
      release: db.prepare<[string, string, string]>(
        `UPDATE uploads SET client_id = NULL, room = NULL, position = NULL, taken_at = NULL
         WHERE owner_id = ? AND client_id = ? AND room = ? AND removing = 0`,
      ),
      ofMessage: db.prepare<[string, string, string], UploadRow>(
        `SELECT ${COLUMNS} FROM uploads u WHERE u.owner_id = ? AND u.client_id = ? AND u.room = ?
         ORDER BY u.position`,
      ),
      stale: db.prepare<{ before: string; limit: number }, UploadRow>(
        `SELECT ${COLUMNS} FROM uploads u WHERE ${STALE} ORDER BY u.created_at LIMIT @limit`,
      ),
      // Atomic with a take (one statement): the row is marked only while no message holds it.
      markRemoving: db.prepare<{ id: string; before: string }, { id: string }>(
        `UPDATE uploads AS u SET removing = 1 WHERE u.id = @id AND ${STALE} RETURNING id`,
      ),
      remove: db.prepare('DELETE FROM uploads WHERE id = ? AND removing = 1'),
    };
    this.takeAll = db.transaction((taker: UploadTaker, ids: readonly string[]) => {
      const held = this.statements.held.all(taker.ownerId, taker.clientId).map((row) => row.id);
      if (!isSameSendOf(held, ids)) throw new NotAllTaken();
      const at = new Date().toISOString();
      return ids.map((id, position) => {
        const row = this.statements.take.get({ ...taker, position, at, id });
        if (!row) throw new NotAllTaken();
        return toStoredAttachment(row);
      });
    });
  }

  create(record: Omit<UploadRecord, 'clientId' | 'room'>): Promise<void> {
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

  take(taker: UploadTaker, ids: readonly string[]): Promise<StoredAttachment[] | null> {
    return whileLocked(() => {
      try {
        return this.takeAll.immediate(taker, ids);
      } catch (error) {
        if (error instanceof NotAllTaken) return null;
        throw error;
      }
    }, this.lockWaitMs);
  }

  release({ ownerId, clientId, room }: UploadTaker): Promise<void> {
    return whileLocked(() => {
      this.statements.release.run(ownerId, clientId, room);
    }, this.lockWaitMs);
  }

  ofMessage({ ownerId, clientId, room }: UploadTaker): Promise<UploadRecord[]> {
    return whileLocked(
      () => this.statements.ofMessage.all(ownerId, clientId, room).map(toUploadRecord),
      this.lockWaitMs,
    );
  }

  stale(before: string, limit: number): Promise<UploadRecord[]> {
    return whileLocked(
      () => this.statements.stale.all({ before, limit }).map(toUploadRecord),
      this.lockWaitMs,
    );
  }

  markRemoving(id: string, before: string): Promise<boolean> {
    return whileLocked(() => this.statements.markRemoving.get({ id, before }) !== undefined, this.lockWaitMs);
  }

  remove(id: string): Promise<void> {
    return whileLocked(() => {
      this.statements.remove.run(id);
    }, this.lockWaitMs);
  }
}
