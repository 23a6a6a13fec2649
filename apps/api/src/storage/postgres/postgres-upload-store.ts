import type pg from 'pg';
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
import { query } from './postgres-database.js';
import { isUuid } from './postgres-log-rows.js';
import { transaction } from './postgres-transaction.js';

/**
 * No live message holds the upload `u`, stale as of `$before` (see UploadStore.stale). A taken
 * upload whose message is not stored counts from its take, not its upload: a send in flight has
 * not stored its message yet. One whose message is stored (and so deleted) is stale at once.
 */
const stale = (before: string) => `(u.removing OR (u.client_id IS NULL AND u.created_at < ${before})
  OR (u.client_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM messages m WHERE m.user_id = u.owner_id
    AND m.client_id = u.client_id AND m.room = u.room AND NOT m.deleted)
  AND (u.taken_at < ${before} OR EXISTS (SELECT 1 FROM messages m WHERE m.user_id = u.owner_id
    AND m.client_id = u.client_id AND m.room = u.room))))`;

/** The first key of the advisory locks a take holds on its (owner, clientId): "upl" in ASCII. */
const TAKE_LOCK_CLASS = 0x75706c;

/** Only rolls a partial take back (see take). */
class NotAllTaken extends Error {}

/** Uploads' metadata in PostgreSQL. */
export class PostgresUploadStore implements UploadStore {
  constructor(private readonly pool: pg.Pool) {}

  async create(record: Omit<UploadRecord, 'clientId' | 'room'>): Promise<void> {
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
         AND m.room = u.room
       WHERE u.id = $1`,
      [id],
    );
    const row = rows[0];
    return row && toUploadLookup(row);
  }

  async take(
    { ownerId, clientId, room }: UploadTaker,
    ids: readonly string[],
  ): Promise<StoredAttachment[] | null> {
    if (!ids.every(isUuid)) return null;
    try {
      return await transaction(this.pool, async (client) => {
        // Takes under one key wait for each other (a hash collision only makes two wait), so
        // that the check below sees what an earlier one took: one clientId, one set of files.
        await client.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [
          TAKE_LOCK_CLASS,
          JSON.stringify([ownerId, clientId]),
        ]);
        const held = await client.query<{ id: string }>(
          'SELECT id FROM uploads WHERE owner_id = $1 AND client_id = $2',
          [ownerId, clientId],
        );
        // PostgreSQL answers a uuid in lower case, whatever case the send wrote it in.
        const asked = ids.map((id) => id.toLowerCase());
        if (
          !isSameSendOf(
            held.rows.map((row) => row.id),
            asked,
          )
        )
          throw new NotAllTaken();
        const taken: StoredAttachment[] = [];
        for (const [position, id] of ids.entries()) {
          // One statement per row: a concurrent take or markRemoving of the row waits for its
          // lock, and the condition is checked again on the row as the other left it.
          const { rows } = await client.query<UploadRow>(
            `UPDATE uploads u SET client_id = $1, room = $2, position = $3, taken_at = $4
             WHERE id = $5 AND owner_id = $6 AND NOT removing
               AND (client_id IS NULL OR (client_id = $1 AND room = $2)) RETURNING ${COLUMNS}`,
            [clientId, room, position, new Date().toISOString(), id, ownerId],
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

  async release({ ownerId, clientId, room }: UploadTaker): Promise<void> {
    await query(
      this.pool,
      `UPDATE uploads SET client_id = NULL, room = NULL, position = NULL, taken_at = NULL
       WHERE owner_id = $1 AND client_id = $2 AND room = $3 AND NOT removing`,
      [ownerId, clientId, room],
    );
  }

  async ofMessage({ ownerId, clientId, room }: UploadTaker): Promise<UploadRecord[]> {
    const { rows } = await query<UploadRow>(
      this.pool,
      `SELECT ${COLUMNS} FROM uploads u WHERE u.owner_id = $1 AND u.client_id = $2 AND u.room = $3
       ORDER BY u.position`,
      [ownerId, clientId, room],
    );
    return rows.map(toUploadRecord);
  }

  async stale(before: string, limit: number): Promise<UploadRecord[]> {
    const { rows } = await query<UploadRow>(
      this.pool,
      `SELECT ${COLUMNS} FROM uploads u WHERE ${stale('$1')} ORDER BY u.created_at LIMIT $2`,
      [before, limit],
    );
    return rows.map(toUploadRecord);
  }

  async markRemoving(id: string, before: string): Promise<boolean> {
    if (!isUuid(id)) return false;
    // One statement: a take of the row waits for it, or it for the take, and each checks its
    // condition again on the row as the other left it (a take refreshes taken_at).
    const { rows } = await query(
      this.pool,
      `UPDATE uploads u SET removing = TRUE WHERE u.id = $1 AND ${stale('$2')} RETURNING u.id`,
      [id, before],
    );
    return rows.length > 0;
  }

  async remove(id: string): Promise<void> {
    if (isUuid(id)) await query(this.pool, 'DELETE FROM uploads WHERE id = $1 AND removing', [id]);
  }
}
