import { randomUUID } from 'node:crypto';
import { createWriteStream, mkdirSync } from 'node:fs';
import { open, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { AttachmentStorage, ByteRange } from '../attachment-storage.js';

/** Keys are ours (a UUID and a suffix), never a client's: anything else cannot name a file. */
const KEY = /^[0-9a-f-]{36}(\.thumb)?$/;

/**
 * Uploads on the local disk (DATA_DIR/uploads, which several instances may share). A put writes
 * a temporary file in the same directory's `.partial/` and renames it into place only once the
 * stream ended well: readers never see half a file, and a failure removes the temporary one.
 */
export class LocalAttachmentStorage implements AttachmentStorage {
  private readonly partial: string;
  /** Made on the first upload, not at start-up: a bad DATA_DIR is the database's to report, in one line. */
  private made = false;

  constructor(private readonly directory: string) {
    this.partial = join(directory, '.partial');
  }

  async put(key: string, content: Readable): Promise<number> {
    const target = this.pathOf(key);
    // Synchronous (once): an await here would leave the content's errors without a listener.
    if (!this.made) {
      mkdirSync(this.partial, { recursive: true });
      this.made = true;
    }
    const temporary = join(this.partial, `${randomUUID()}.tmp`);
    try {
      // Piped before the first await: the content's error, however early, has a listener.
      await pipeline(content, createWriteStream(temporary, { flags: 'wx' }));
      // On disk before it is visible: a crash after the rename must not leave a torn file.
      const handle = await open(temporary, 'r');
      await handle.sync().finally(() => handle.close());
      const { size } = await stat(temporary);
      await rename(temporary, target);
      return size;
    } catch (error) {
      await rm(temporary, { force: true });
      throw error;
    }
  }

  async get(key: string, range?: ByteRange): Promise<Readable | undefined> {
    const path = this.pathOf(key);
    try {
      // Opened before answering: a missing file is undefined here, not an error mid-stream.
      const handle = await open(path, 'r');
      return handle.createReadStream(range ?? {});
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
  }

  async delete(key: string): Promise<void> {
    await rm(this.pathOf(key), { force: true });
  }

  private pathOf(key: string): string {
    if (!KEY.test(key)) throw new Error(`not an attachment key: ${key.slice(0, 80)}`);
    return join(this.directory, key);
  }
}
