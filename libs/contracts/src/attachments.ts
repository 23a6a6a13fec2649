import { z } from 'zod';

/** At most this many files on one message. */
export const MAX_ATTACHMENTS = 10;

/**
 * The types an upload may have, decided from the file's content (magic bytes), never from its
 * name or the Content-Type the client claims. Text is UTF-8 without NUL characters.
 */
export const ATTACHMENT_TYPES = [
  'image/png',
  'image/jpeg',
  'image/gif',
  'image/webp',
  'application/pdf',
  'application/zip',
  'text/plain',
] as const;
export const AttachmentTypeSchema = z.enum(ATTACHMENT_TYPES);
export type AttachmentType = z.infer<typeof AttachmentTypeSchema>;

/** Upload ids are UUIDs. */
export const AttachmentIdSchema = z.uuid('attachment ids are the UUIDs POST /api/uploads answered with');

/** Answer of POST /api/uploads (201): the upload, not yet on any message. */
export const UploadResponseSchema = z.object({
  id: AttachmentIdSchema,
  /** The file name as sent, without any path, control or bidirectional-override characters. */
  name: z.string(),
  /** Bytes. */
  size: z.number().int().min(1),
  type: AttachmentTypeSchema,
  /** Pixels, for images (after EXIF orientation). */
  width: z.number().int().min(1).optional(),
  height: z.number().int().min(1).optional(),
});
export type UploadResponse = z.infer<typeof UploadResponseSchema>;

/** A file on a message, as every reader of the message sees it. */
export const AttachmentSchema = UploadResponseSchema.extend({
  /** Download URL (same origin; room access is checked on every request). */
  url: z.string(),
  /** A small WebP preview of an image, when one could be made. */
  thumbnailUrl: z.string().optional(),
});
export type Attachment = z.infer<typeof AttachmentSchema>;
