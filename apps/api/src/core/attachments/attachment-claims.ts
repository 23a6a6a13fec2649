import { Inject, Injectable } from '@nestjs/common';
import { BadRequestError } from '../../common/errors/chat-errors.js';
import { UPLOAD_STORE, type StoredAttachment, type UploadStore } from '../../storage/upload-store.js';

/**
 * The uploads a send puts on its message: only the sender's own, not on another message yet.
 * They are taken under the message's own key (user, clientId) before it is appended, so a replay
 * of the same send (an outbox after a reconnect) takes them again, and no other send can.
 */
@Injectable()
export class AttachmentClaims {
  constructor(@Inject(UPLOAD_STORE) private readonly uploads: UploadStore) {}

  async take(userId: string, clientId: string, ids: readonly string[]): Promise<StoredAttachment[]> {
    const taken = await this.uploads.take(userId, clientId, ids);
    if (!taken) {
      throw new BadRequestError(
        'attachments: every id must be one of your own uploads that is not on another message; upload the file again (POST /api/uploads)',
      );
    }
    return taken;
  }
}
