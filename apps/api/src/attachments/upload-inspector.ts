import { Transform, type TransformCallback } from 'node:stream';
import type { AttachmentType } from '@chat/contracts';
import { BadRequestError, TooLargeError } from '../common/errors/chat-errors.js';
import { MAGIC_BYTES, TextCheck, typeFromMagic } from './content-type.js';

/**
 * Passes an upload's bytes through to storage while it counts them and learns their type. It
 * fails the stream (so storage keeps nothing) as soon as the file passes `maxBytes`, and at the
 * end when the file is empty or of no allowed type.
 */
export class UploadInspector extends Transform {
  private size = 0;
  private head = Buffer.alloc(0);
  private magic: AttachmentType | null | undefined;
  private readonly text = new TextCheck();
  /** Known once the stream has ended well. */
  type: AttachmentType | undefined;

  constructor(private readonly maxBytes: number) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    this.size += chunk.length;
    if (this.size > this.maxBytes) {
      return done(new TooLargeError(`the file is larger than ${this.maxBytes} bytes (UPLOAD_MAX_BYTES)`));
    }
    if (this.magic === undefined) {
      this.head = Buffer.concat([this.head, chunk.subarray(0, MAGIC_BYTES)]);
      if (this.head.length >= MAGIC_BYTES) this.magic = typeFromMagic(this.head);
    }
    // Only what no magic number names can be text; a PNG need not be decoded as UTF-8.
    if (this.magic === undefined || this.magic === null) this.text.push(chunk);
    done(null, chunk);
  }

  override _flush(done: TransformCallback): void {
    if (this.size === 0) return done(new BadRequestError('the file is empty'));
    this.magic ??= typeFromMagic(this.head);
    const type = this.magic ?? (this.text.isText() ? 'text/plain' : null);
    if (type === null) {
      return done(
        new BadRequestError(
          'this type of file is not accepted: send an image (PNG, JPEG, GIF, WebP), a PDF, a ZIP archive or UTF-8 text',
        ),
      );
    }
    this.type = type;
    done();
  }
}
