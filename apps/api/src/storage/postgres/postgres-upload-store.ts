import type pg from 'pg';
import {
  UPLOAD_COLUMNS as COLUMNS,
  toStoredAttachment,
  toUploadLookup,
  toUploadRecord,
  type UploadRow,
} from '../upload-rows.js';
import type { StoredAttachment, UploadLookup, UploadRecord, UploadStore } from '../upload-store.js';
import { query } from './postgres-database.js';
import { isUuid } from './postgres-log-rows.js';
import { transaction } from './postgres-transaction.js';

/** Only rolls a partial take back (see take). */
class NotAllTaken extends Error {}

/** Uploads' metadata in PostgreSQL. */
export class PostgresUploadStore implements UploadStore {
  constructor(private readonly pool: pg.Pool) {}

  async create(record: Omit<UploadRecord, 'clientId'>): Promise<void> {
    await query(
      this.pool,
      `INSERT INTO uploads (id, owner_id, name, size, type, width, height, thumbnail, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [
        record.id,
        record.ownerId,
        record.name,
        record.size,
        record.type,
        record.width ?? null,
        record.height ?? null,
        record.thumbnail,
        record.createdAt,
      ],
    );
  }

  async find(id: string): Promise<UploadLookup | undefined> {
    if (!isUuid(id)) return undefined;
    const { rows } = await query<UploadRow>(
      this.pool,
      `SELECT ${COLUMNS}, m.id AS message_id, m.room AS message_room, m.deleted AS message_deleted
       FROM uploads u LEFT JOIN messages m ON m.user_id = u.owner_id AND m.client_id = u.client_id
       WHERE u.id = $1`,
      [id],
    );
    const row = rows[0];
    return row && toUploadLookup(row);
  }

  async take(ownerId: string, clientId: string, ids: readonly string[]): Promise<StoredAttachment[] | null> {
    if (!ids.every(isUuid)) return null;
    try {
      return await transaction(this.pool, async (client) => {
        const taken: StoredAttachment[] = [];
        for (const [position, id] of ids.entries()) {
          const { rows } = await client.query<UploadRow>(
            `UPDATE uploads u SET client_id = $1, position = $2
             WHERE id = $3 AND owner_id = $4 AND (client_id IS NULL OR client_id = $1) RETURNING ${COLUMNS}`,
            [clientId, position, id, ownerId],
          );
          if (!rows[0]) throw new NotAllTaken();
          taken.push(toStoredAttachment(rows[0]));
        }
        return taken;
      });
    } catch (error) {
      if (error instanceof NotAllTaken) return null;
      throw error;
    }
  }

  async ofMessage(ownerId: string, clientId: string): Promise<UploadRecord[]> {
    const { rows } = await query<UploadRow>(
      this.pool,
      `SELECT ${COLUMNS} FROM uploads u WHERE u.owner_id = $1 AND u.client_id = $2 ORDER BY u.position`,
      [ownerId, clientId],
    );
    return rows.map(toUploadRecord);
  }

  async stale(before: string, limit: number): Promise<UploadRecord[]> {
    const { rows } = await query<UploadRow>(
      this.pool,
      `SELECT ${COLUMNS} FROM uploads u WHERE u.created_at < $1 AND (u.client_id IS NULL OR NOT EXISTS (
         SELECT 1 FROM messages m WHERE m.user_id = u.owner_id AND m.client_id = u.client_id AND NOT m.deleted))
       ORDER BY u.created_at LIMIT $2`,
      [before, limit],
    );
    return rows.map(toUploadRecord);
  }

  async remove(id: string): Promise<void> {
    if (isUuid(id)) await query(this.pool, 'DELETE FROM uploads WHERE id = $1', [id]);
  }
}
