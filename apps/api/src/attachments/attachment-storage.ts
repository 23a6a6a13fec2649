import type { Readable } from 'node:stream';

/**
 * Where the bytes of uploads (and their thumbnails) live, by key. Shaped for an S3-compatible
 * store as well as the local disk: streams in and out, opaque keys, no file-system paths; a put
 * is all or nothing (a failed or aborted stream leaves no object), so any instance sharing the
 * storage can serve any key without state of its own.
 */
export interface AttachmentStorage {
  /** Stores the stream under `key` once it ended well; resolves with its size in bytes. Rejects with the stream's error. */
  put(key: string, content: Readable): Promise<number>;
  /** The object's bytes (only `range`'s, inclusive, when given), or undefined when there is none. */
  get(key: string, range?: ByteRange): Promise<Readable | undefined>;
  /** Removes the object; nothing happens when there is none. */
  delete(key: string): Promise<void>;
}

/** Bytes `start` to `end` of an object, both included (as HTTP ranges count). */
export interface ByteRange {
  start: number;
  end: number;
}

/** Nest injection token for the configured {@link AttachmentStorage}. */
export const ATTACHMENT_STORAGE = Symbol('AttachmentStorage');

/** The keys of one upload: its file, and its thumbnail when there is one. */
export const attachmentKeys = (id: string) => ({ file: id, thumbnail: `${id}.thumb` });
