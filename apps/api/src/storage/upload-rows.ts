import type { AttachmentType } from '@chat/contracts';
import type { StoredAttachment, UploadLookup, UploadRecord } from './upload-store.js';

/**
 * An uploads row as both engines return it: PostgreSQL's BIGINT size arrives as a string and its
 * booleans as booleans, SQLite's as 0/1 integers. The message_* columns come with a lookup's join.
 */
export interface UploadRow {
  id: string;
  owner_id: string;
  name: string;
  size: number | string;
  type: AttachmentType;
  width: number | null;
  height: number | null;
  thumbnail: number | boolean;
  created_at: string;
  client_id: string | null;
  /** The room of the send that took it (null while untaken). */
  room: string | null;
  message_id?: string | null;
  message_room?: string | null;
  message_deleted?: number | boolean | null;
}

/** The uploads columns, aliased `u` (a lookup joins messages). */
export const UPLOAD_COLUMNS =
  'u.id, u.owner_id, u.name, u.size, u.type, u.width, u.height, u.thumbnail, u.created_at, u.client_id, u.room';

export function toStoredAttachment(row: UploadRow): StoredAttachment {
  return {
    id: row.id,
    name: row.name,
    size: Number(row.size),
    type: row.type,
    ...(row.width !== null && { width: row.width }),
    ...(row.height !== null && { height: row.height }),
    thumbnail: row.thumbnail === true || row.thumbnail === 1,
  };
}

export function toUploadRecord(row: UploadRow): UploadRecord {
  return {
    ...toStoredAttachment(row),
    ownerId: row.owner_id,
    createdAt: row.created_at,
    clientId: row.client_id,
    room: row.room,
  };
}

/** A row of the lookup that joins the message holding the upload (none: not taken, or not stored yet). */
export function toUploadLookup(row: UploadRow): UploadLookup {
  const lookup: UploadLookup = toUploadRecord(row);
  if (row.message_id) {
    const deleted = row.message_deleted === true || row.message_deleted === 1;
    lookup.message = { id: row.message_id, room: row.message_room!, deleted };
  }
  return lookup;
}
