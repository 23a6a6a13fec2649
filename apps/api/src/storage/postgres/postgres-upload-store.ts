import type pg from 'pg';
import type { AttachmentType } from '@chat/contracts';
import type { StoredAttachment, UploadLookup, UploadRecord, UploadStore } from '../upload-store.js';
import { query } from './postgres-database.js';
import { isUuid } from './postgres-log-rows.js';
import { transaction } from './postgres-transaction.js';

interface UploadRow {
  id: string;
  owner_id: string;
  name: string;
  size: string;
  type: AttachmentType;
  width: number | null;
  height: number | null;
  thumbnail: boolean;
  created_at: string;
  client_id: string | null;
  message_id?: string | null;
  message_room?: string | null;
  message_deleted?: boolean | null;
}

const COLUMNS =
  'u.id, u.owner_id, u.name, u.size, u.type, u.width, u.height, u.thumbnail, u.created_at, u.client_id';

/** Only rolls a partial take back (see take). */
class NotAllTaken extends Error {}

function toStored(row: UploadRow): StoredAttachment {
  return {
    id: row.id,
    name: row.name,
    size: Number(row.size),
    type: row.type,
    ...(row.width !== null && { width: row.width }),
    ...(row.height !== null && { height: row.height }),
    thumbnail: row.thumbnail,
  };
}

function toRecord(row: UploadRow): UploadRecord {
  return { ...toStored(row), ownerId: row.owner_id, createdAt: row.created_at, clientId: row.client_id };
}

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
    if (!row) return undefined;
    const lookup: UploadLookup = toRecord(row);
    if (row.message_id) {
      lookup.message = { id: row.message_id, room: row.message_room!, deleted: row.message_deleted === true };
    }
    return lookup;
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
          taken.push(toStored(rows[0]));
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
    return rows.map(toRecord);
  }

  async stale(before: string, limit: number): Promise<UploadRecord[]> {
    const { rows } = await query<UploadRow>(
      this.pool,
      `SELECT ${COLUMNS} FROM uploads u WHERE u.created_at < $1 AND (u.client_id IS NULL OR NOT EXISTS (
         SELECT 1 FROM messages m WHERE m.user_id = u.owner_id AND m.client_id = u.client_id AND NOT m.deleted))
       ORDER BY u.created_at LIMIT $2`,
      [before, limit],
    );
    return rows.map(toRecord);
  }

  async remove(id: string): Promise<void> {
    if (isUuid(id)) await query(this.pool, 'DELETE FROM uploads WHERE id = $1', [id]);
  }
}
