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
  /** The room of the send that took it: its message is shown there only. */
  room: string | null;
}

/** An upload, with the message that holds it once that message is stored. */
export interface UploadLookup extends UploadRecord {
  message?: { id: string; room: string; deleted: boolean };
}

/** The send that takes uploads: the key (owner, clientId) of its message, and its room. */
export interface UploadTaker {
  ownerId: string;
  clientId: string;
  room: string;
}

/**
 * The uploads' metadata, in the chat's database (the bytes are in the AttachmentStorage). A send
 * takes uploads before its message is appended, under the message's own unique key (owner,
 * clientId) and its room: a replay of the send finds them taken by itself, no other send can take
 * them, and readers join them to the message by that key and room, so a file never shows in a
 * room it was not sent to, whatever clientId a client reuses.
 *
 * Removal is two steps, so that it never races a send: {@link markRemoving} claims a row that no
 * live message holds (atomically: from then on no send can take it), the caller deletes the
 * bytes, then {@link remove} deletes the row. A failure between the two leaves a marked row that
 * {@link stale} returns again.
 */
export interface UploadStore {
  create(record: Omit<UploadRecord, 'clientId' | 'room'>): Promise<void>;
  find(id: string): Promise<UploadLookup | undefined>;
  /**
   * Takes the owner's uploads `ids` (in that order) for the send; all or none, atomically: null
   * when any is unknown, someone else's, being removed, or taken by another send (another
   * clientId, or the same clientId in another room), and when the send's key already holds other
   * uploads than exactly `ids` (one clientId, one message, one set of files).
   */
  take(taker: UploadTaker, ids: readonly string[]): Promise<StoredAttachment[] | null>;
  /**
   * Gives back what the send took, when its message will never be stored in its room (its
   * clientId names a message elsewhere): the files are free for the next send.
   */
  release(taker: UploadTaker): Promise<void>;
  /** The uploads of the message stored under (owner, clientId) in `room`. */
  ofMessage(taker: UploadTaker): Promise<UploadRecord[]>;
  /**
   * Uploads no live message holds, stale as of `before` (ISO): never taken and created before
   * it; taken before it by a send whose message is not stored (so that the files a send in flight
   * took moments ago are not among them); on a deleted message; or marked by
   * {@link markRemoving}. At most `limit`, oldest first.
   */
  stale(before: string, limit: number): Promise<UploadRecord[]>;
  /**
   * Marks the upload as being removed when it is stale as of `before` (see {@link stale}) or
   * already marked; atomic with {@link take}: false when a send took it meanwhile (keep it).
   */
  markRemoving(id: string, before: string): Promise<boolean>;
  /** Deletes the row of an upload {@link markRemoving} marked (an unmarked row is kept). */
  remove(id: string): Promise<void>;
}

/**
 * One clientId, one set of files: a key that holds uploads is taken again only by a replay of the
 * send that took them (the same ids), never by another message under the same clientId.
 */
export function isSameSendOf(held: readonly string[], ids: readonly string[]): boolean {
  if (held.length === 0) return true;
  const asked = new Set(ids);
  return held.length === asked.size && held.every((id) => asked.has(id));
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
