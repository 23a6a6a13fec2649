import type { AttachmentType } from '@chat/contracts';

/** How many leading bytes {@link typeFromMagic} needs. */
export const MAGIC_BYTES = 16;

const startsWith = (head: Uint8Array, bytes: readonly number[], at = 0) =>
  head.length >= at + bytes.length && bytes.every((byte, index) => head[at + index] === byte);

const ascii = (text: string) => [...text].map((char) => char.charCodeAt(0));

/**
 * The type of a file from its first bytes, for the binary types of the allow-list; null when it
 * is none of them (it may still be text: see {@link TextCheck}). The name and the type the client
 * claims are never asked: an `.png` that holds text is text.
 */
export function typeFromMagic(head: Uint8Array): AttachmentType | null {
  if (startsWith(head, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png';
  if (startsWith(head, [0xff, 0xd8, 0xff])) return 'image/jpeg';
  if (startsWith(head, ascii('GIF87a')) || startsWith(head, ascii('GIF89a'))) return 'image/gif';
  if (startsWith(head, ascii('RIFF')) && startsWith(head, ascii('WEBP'), 8)) return 'image/webp';
  if (startsWith(head, ascii('%PDF-'))) return 'application/pdf';
  // A local file header, or the end record of an empty archive. Never opened: a zip is just bytes here.
  if (startsWith(head, [0x50, 0x4b, 0x03, 0x04]) || startsWith(head, [0x50, 0x4b, 0x05, 0x06])) {
    return 'application/zip';
  }
  return null;
}

/** Whether the type is an image the server decodes (dimensions, thumbnail). */
export const isImage = (type: AttachmentType) => type.startsWith('image/');

/**
 * Decides, chunk by chunk, whether a whole file is text: valid UTF-8 without NUL characters (a
 * log, a snippet of code). Anything else that no magic number names is refused.
 */
export class TextCheck {
  private readonly decoder = new TextDecoder('utf-8', { fatal: true });
  private text = true;

  push(chunk: Uint8Array): void {
    if (!this.text) return;
    if (chunk.includes(0)) {
      this.text = false;
      return;
    }
    try {
      this.decoder.decode(chunk, { stream: true });
    } catch {
      this.text = false;
    }
  }

  /** After the last chunk: the file ends on a whole character too. */
  isText(): boolean {
    if (!this.text) return false;
    try {
      this.decoder.decode();
      return true;
    } catch {
      return false;
    }
  }
}
