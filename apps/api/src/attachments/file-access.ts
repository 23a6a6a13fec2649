import { Inject, Injectable } from '@nestjs/common';
import type { User } from '@chat/contracts';
import { NotFoundError } from '../common/errors/chat-errors.js';
import { MembershipPermissions } from '../core/membership/membership-permissions.js';
import { UPLOAD_STORE, type UploadLookup, type UploadStore } from '../storage/upload-store.js';

/**
 * Who may download an upload, asked on every request (nothing is remembered, so any instance
 * can serve any file): its owner before it is on a message; once it is, whoever may read the
 * message's room. Everyone else, and every file of a deleted message, gets 404 `not_found` with
 * the words a private room uses: a non-member cannot tell a private room's file from no file.
 * A banned user of a public room gets 403, as for the room itself.
 */
@Injectable()
export class FileAccess {
  constructor(
    @Inject(UPLOAD_STORE) private readonly uploads: UploadStore,
    private readonly permissions: MembershipPermissions,
  ) {}

  async readable(id: string, user: User): Promise<UploadLookup> {
    const upload = await this.uploads.find(id);
    if (!upload) throw noSuchFile();
    if (!upload.message) {
      if (upload.ownerId !== user.id) throw noSuchFile();
      return upload;
    }
    if (upload.message.deleted) throw noSuchFile();
    try {
      await this.permissions.readable(upload.message.room, user);
    } catch (error) {
      throw error instanceof NotFoundError ? noSuchFile() : error;
    }
    return upload;
  }
}

function noSuchFile(): NotFoundError {
  return new NotFoundError('no such file, or it is in a private room you are not a member of');
}
