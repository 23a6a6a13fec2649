import type { Attachment, AttachmentType } from '@chat/contracts';

/** An upload as a message carries it in storage: the wire's {@link Attachment} without its URLs. */
export interface StoredAttachment {
  id: string;
  name: string;
  size: number;
  type: AttachmentType;
  width?: number;
  height?: number;
  /** A thumbnail was stored beside the file. */
  thumbnail: boolean;
}

/** One upload's row: who sent it, when, and which send (if any) took it. */
export interface UploadRecord extends StoredAttachment {
  ownerId: string;
  /** ISO-8601 UTC. */
  createdAt: string;
  /** The clientId of the send that took it: with ownerId, the key of its message. */
  clientId: string | null;
}

/** An upload, with the message that holds it once that message is stored. */
export interface UploadLookup extends UploadRecord {
  message?: { id: string; room: string; deleted: boolean };
}

/**
 * The uploads' metadata, in the chat's database (the bytes are in the AttachmentStorage). A send
 * takes uploads before its message is appended, under the message's own unique key (owner,
 * clientId): a replay of the send finds them taken by itself, no other send can take them, and
 * readers join them to the message by that key.
 */
export interface UploadStore {
  create(record: Omit<UploadRecord, 'clientId'>): Promise<void>;
  find(id: string): Promise<UploadLookup | undefined>;
  /**
   * Takes the owner's uploads `ids` (in that order) for the send `clientId`; all or none: null
   * when any is unknown, someone else's, or taken by another send.
   */
  take(ownerId: string, clientId: string, ids: readonly string[]): Promise<StoredAttachment[] | null>;
  /** The uploads of the message stored under (owner, clientId). */
  ofMessage(ownerId: string, clientId: string): Promise<UploadRecord[]>;
  /**
   * Uploads created before `before` (ISO) that no live message holds: never taken, taken by a
   * send that was never stored, or on a deleted message. At most `limit`, oldest first.
   */
  stale(before: string, limit: number): Promise<UploadRecord[]>;
  remove(id: string): Promise<void>;
}

/** Nest injection token for the configured {@link UploadStore}. */
export const UPLOAD_STORE = Symbol('UploadStore');

/** Where a stored attachment is downloaded (and its thumbnail): the same origin as the API. */
export function toAttachment(stored: StoredAttachment): Attachment {
  const url = `/api/files/${stored.id}`;
  const attachment: Attachment = {
    id: stored.id,
    name: stored.name,
    size: stored.size,
    type: stored.type,
    url,
  };
  if (stored.width !== undefined) attachment.width = stored.width;
  if (stored.height !== undefined) attachment.height = stored.height;
  if (stored.thumbnail) attachment.thumbnailUrl = `${url}/thumbnail`;
  return attachment;
}

/** A message row's attachments column (JSON of the joined uploads), in their latest state. */
export function attachmentsOf(json: unknown): Attachment[] | undefined {
  const list = (typeof json === 'string' ? JSON.parse(json) : json) as RawAttachment[] | null;
  if (!list || list.length === 0) return undefined;
  return list.map((raw) =>
    toAttachment({
      id: raw.id,
      name: raw.name,
      size: Number(raw.size),
      type: raw.type,
      ...(raw.width !== null && raw.width !== undefined && { width: raw.width }),
      ...(raw.height !== null && raw.height !== undefined && { height: raw.height }),
      thumbnail: raw.thumbnail === true || raw.thumbnail === 1,
    }),
  );
}

/** The JSON object both stores build per joined upload (see their message SELECTs). */
interface RawAttachment {
  id: string;
  name: string;
  size: number | string;
  type: AttachmentType;
  width: number | null;
  height: number | null;
  thumbnail: boolean | number;
}
