import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';
import { AppConfigService } from '../config/app-config.service.js';
import { MessageDeletedEvent } from '../core/events/message-changed.events.js';
import { MESSAGE_STORE, type MessageStore } from '../storage/message-store.js';
import { UPLOAD_STORE, type UploadRecord, type UploadStore } from '../storage/upload-store.js';
import { ATTACHMENT_STORAGE, attachmentKeys, type AttachmentStorage } from './attachment-storage.js';

/** How often each instance looks for uploads to remove. */
const SWEEP_EVERY_MS = 10 * 60 * 1000;
/** Uploads removed per sweep at most: a backlog is worked off over several sweeps. */
const SWEEP_BATCH = 500;

/**
 * Removes the files nobody can reach any more: at once those of a message that was deleted
 * (the tombstone shows none, and downloads are 404 from the delete on), and, in a sweep, uploads
 * that no message took within UPLOAD_ORPHAN_HOURS (and any a crash left behind). Every instance
 * sweeps; removing twice is harmless. An upload is first marked in the store, atomically and only
 * while no message holds it: a send taking it at that moment either wins (the upload is kept) or
 * is refused ("upload the file again"), never stored with a file about to go. The row goes last,
 * so a failure is retried by the next sweep.
 */
@Injectable()
export class AttachmentCleanup implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(AttachmentCleanup.name);
  private timer: NodeJS.Timeout | undefined;
  private readonly orphanMs: number;

  constructor(
    @Inject(UPLOAD_STORE) private readonly uploads: UploadStore,
    @Inject(MESSAGE_STORE) private readonly messages: MessageStore,
    @Inject(ATTACHMENT_STORAGE) private readonly storage: AttachmentStorage,
    config: AppConfigService,
  ) {
    this.orphanMs = config.get('UPLOAD_ORPHAN_HOURS') * 3600 * 1000;
  }

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.sweep(), SWEEP_EVERY_MS);
    this.timer.unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.timer);
  }

  @OnEvent(MessageDeletedEvent.eventName)
  async deleted({ deletion }: MessageDeletedEvent): Promise<void> {
    try {
      const message = await this.messages.findMessage(deletion.id);
      if (!message?.clientId) return;
      const key = { ownerId: message.user.id, clientId: message.clientId, room: message.room };
      const now = new Date().toISOString();
      for (const upload of await this.uploads.ofMessage(key)) await this.remove(upload, now);
    } catch (error) {
      // The sweep finds them later: their message is deleted.
      this.logger.warn(`files of deleted message ${deletion.id} are left for the sweep: ${String(error)}`);
    }
  }

  /** Removes the stale uploads (see UploadStore.stale); resolves with how many. */
  async sweep(now = Date.now()): Promise<number> {
    try {
      const before = new Date(now - this.orphanMs).toISOString();
      const stale = await this.uploads.stale(before, SWEEP_BATCH);
      let removed = 0;
      for (const upload of stale) if (await this.remove(upload, before)) removed += 1;
      return removed;
    } catch (error) {
      this.logger.warn(`upload sweep failed, retried in ${SWEEP_EVERY_MS / 60_000} min: ${String(error)}`);
      return 0;
    }
  }

  /** False when a send took the upload since it was found stale: it stays. */
  private async remove(upload: UploadRecord, before: string): Promise<boolean> {
    if (!(await this.uploads.markRemoving(upload.id, before))) return false;
    const keys = attachmentKeys(upload.id);
    await this.storage.delete(keys.file);
    await this.storage.delete(keys.thumbnail);
    await this.uploads.remove(upload.id);
    return true;
  }
}
