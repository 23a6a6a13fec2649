import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { Readable } from 'node:stream';
import { Inject, Injectable, Logger } from '@nestjs/common';
import type { UploadResponse, User } from '@chat/contracts';
import { BadRequestError, TooLargeError } from '../common/errors/chat-errors.js';
import { AppConfigService } from '../config/app-config.service.js';
import { UPLOAD_STORE, type UploadStore } from '../storage/upload-store.js';
import { ATTACHMENT_STORAGE, attachmentKeys, type AttachmentStorage } from './attachment-storage.js';
import { isImage } from './content-type.js';
import { sanitizeFileName } from './file-name.js';
import { imageFacts, thumbnailOf, type ImageFacts } from './image-preview.js';
import { receiveFile } from './multipart-file.js';
import { UploadInspector } from './upload-inspector.js';
import { UploadQuota } from './upload-quota.js';

/** What a multipart body may add around its file: boundaries and part headers. */
const MULTIPART_OVERHEAD_BYTES = 16 * 1024;

/**
 * Receives an upload: streamed through the inspector (size, type) into the attachment storage,
 * then, for an image, its dimensions and thumbnail, then its row. Whatever fails on the way
 * leaves nothing behind: no object, no thumbnail, no row.
 */
@Injectable()
export class UploadsService {
  private readonly logger = new Logger(UploadsService.name);
  private readonly maxBytes: number;
  private readonly maxPixels: number;

  constructor(
    @Inject(ATTACHMENT_STORAGE) private readonly storage: AttachmentStorage,
    @Inject(UPLOAD_STORE) private readonly uploads: UploadStore,
    private readonly quota: UploadQuota,
    config: AppConfigService,
  ) {
    this.maxBytes = config.get('UPLOAD_MAX_BYTES');
    this.maxPixels = config.get('UPLOAD_MAX_PIXELS');
  }

  /** Refuses, before reading the body, a request that says it is too large. */
  checkDeclaredLength(request: IncomingMessage): void {
    const declared = Number(request.headers['content-length']);
    if (Number.isFinite(declared) && declared > this.maxBytes + MULTIPART_OVERHEAD_BYTES) {
      throw new TooLargeError(
        `the request is ${declared} bytes; files may have at most ${this.maxBytes} bytes (UPLOAD_MAX_BYTES)`,
      );
    }
  }

  async receive(request: IncomingMessage, user: User): Promise<UploadResponse> {
    this.checkDeclaredLength(request);
    if (!/^multipart\/form-data\s*;/i.test(request.headers['content-type'] ?? '')) {
      throw new BadRequestError('send the file as multipart/form-data, in the field "file"');
    }
    await this.quota.admit(user.id);
    const id = randomUUID();
    const keys = attachmentKeys(id);
    const { name, size, inspector } = await receiveFile(request, async ({ filename, content }) => {
      const inspector = new UploadInspector(this.maxBytes);
      content.on('error', (error) => inspector.destroy(error));
      const size = await this.storage.put(keys.file, content.pipe(inspector));
      return { name: sanitizeFileName(filename), size, inspector };
    });
    const type = inspector.type!;
    let image: ImageFacts | undefined;
    try {
      let thumbnail = false;
      if (isImage(type)) {
        image = await imageFacts((await this.storage.get(keys.file))!, this.maxPixels);
        thumbnail = await this.storeThumbnail(id);
      }
      const record = {
        id,
        ownerId: user.id,
        name,
        size,
        type,
        thumbnail,
        createdAt: new Date().toISOString(),
      };
      await this.uploads.create({ ...record, ...image });
    } catch (error) {
      await Promise.all([this.storage.delete(keys.file), this.storage.delete(keys.thumbnail)]);
      throw error;
    }
    // The file is stored: a quota store that fails now must not make it look refused.
    await this.quota.stored(user.id, size).catch((error: unknown) => {
      this.logger.warn(
        `upload ${id} of ${size} bytes not counted against the hourly quota: ${String(error)}`,
      );
    });
    return { id, name, size, type, ...image };
  }

  /** False when the image decodes badly or too slowly: it is then stored without a thumbnail. */
  private async storeThumbnail(id: string): Promise<boolean> {
    const keys = attachmentKeys(id);
    let preview: Buffer;
    try {
      preview = await thumbnailOf((await this.storage.get(keys.file))!, this.maxPixels);
    } catch (error) {
      this.logger.warn(`no thumbnail for upload ${id}: ${(error as Error).message}`);
      return false;
    }
    await this.storage.put(keys.thumbnail, Readable.from([preview]));
    return true;
  }
}
