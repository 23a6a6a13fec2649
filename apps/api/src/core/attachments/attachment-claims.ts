import { Inject, Injectable } from '@nestjs/common';
import { BadRequestError } from '../../common/errors/chat-errors.js';
import { UPLOAD_STORE, type StoredAttachment, type UploadStore } from '../../storage/upload-store.js';

/** The send that puts uploads on its message: its key (user, clientId) and its room. */
export interface AttachmentSend {
  userId: string;
  clientId: string;
  room: string;
}

/**
 * The uploads a send puts on its message: only the sender's own, not on another message yet, nor
 * being removed. They are taken under the message's own key (user, clientId) and its room before
 * it is appended, so a replay of the same send (an outbox after a reconnect) takes them again, and
 * no other send can: not another clientId, nor the same clientId in another room.
 */
@Injectable()
export class AttachmentClaims {
  constructor(@Inject(UPLOAD_STORE) private readonly uploads: UploadStore) {}

  async take(
    { userId, clientId, room }: AttachmentSend,
    ids: readonly string[],
  ): Promise<StoredAttachment[]> {
    const taken = await this.uploads.take({ ownerId: userId, clientId, room }, ids);
    if (!taken) {
      throw new BadRequestError(
        'attachments: every id must be one of your own uploads that is not on another message; upload the file again (POST /api/uploads)',
      );
    }
    return taken;
  }

  /** Frees what `take` took: the send's clientId names a message in another room, none is stored here. */
  release({ userId, clientId, room }: AttachmentSend): Promise<void> {
    return this.uploads.release({ ownerId: userId, clientId, room });
  }
}
