import { pipeline } from 'node:stream/promises';
import { Controller, Get, Inject, Param, Req, Res, UseGuards } from '@nestjs/common';
import type { User } from '@chat/contracts';
import type { Request, Response } from 'express';
import { RequiresScope } from '../api-keys/api-key-scope.decorator.js';
import { HttpIdentityGuard } from '../auth/http-identity.guard.js';
import { RequestUser } from '../auth/request-user.decorator.js';
import { NotFoundError } from '../common/errors/chat-errors.js';
import { byteRange } from './byte-range.js';
import { ATTACHMENT_STORAGE, attachmentKeys, type AttachmentStorage } from './attachment-storage.js';
import { setDownloadHeaders } from './download-headers.js';
import { FileAccess } from './file-access.js';

/** Downloads: `GET /api/files/:id` and its `/thumbnail`, access checked on every request. */
@Controller('api/files')
@UseGuards(HttpIdentityGuard)
// A key that reads a room's messages reads their files too, with the same access check.
@RequiresScope('messages:read')
export class FilesController {
  constructor(
    private readonly access: FileAccess,
    @Inject(ATTACHMENT_STORAGE) private readonly storage: AttachmentStorage,
  ) {}

  @Get(':id')
  async file(
    @Param('id') id: string,
    @RequestUser() user: User,
    @Req() request: Request,
    @Res() response: Response,
  ): Promise<void> {
    const upload = await this.access.readable(id, user);
    const file = { type: upload.type, name: upload.name, etag: `"${upload.id}"`, size: upload.size };
    await this.send(attachmentKeys(upload.id).file, file, request, response);
  }

  @Get(':id/thumbnail')
  async thumbnail(
    @Param('id') id: string,
    @RequestUser() user: User,
    @Req() request: Request,
    @Res() response: Response,
  ): Promise<void> {
    const upload = await this.access.readable(id, user);
    if (!upload.thumbnail) throw new NotFoundError('this file has no thumbnail');
    const name = `${upload.name.replace(/\.[^.]*$/, '')}.webp`;
    const file = { type: 'image/webp' as const, name, etag: `"${upload.id}.thumb"` };
    await this.send(attachmentKeys(upload.id).thumbnail, file, request, response);
  }

  private async send(
    key: string,
    file: Parameters<typeof setDownloadHeaders>[1],
    request: Request,
    response: Response,
  ): Promise<void> {
    // The bytes of an id never change: a revalidation that passed the access check needs none.
    if (request.headers['if-none-match'] === file.etag) {
      response.status(304).setHeader('ETag', file.etag);
      response.end();
      return;
    }
    // One range of a file (a resumed download); thumbnails are small enough to come whole.
    const range = file.size === undefined ? undefined : byteRange(request.headers.range, file.size);
    if (range === 'unsatisfiable') {
      response.status(416).setHeader('Content-Range', `bytes */${file.size}`);
      response.json({
        code: 'bad_request',
        message: `the file has ${file.size} bytes: ask for a range within them`,
      });
      return;
    }
    const content = await this.storage.get(key, range);
    if (!content) throw new NotFoundError('the file is gone');
    setDownloadHeaders(response, range ? { ...file, size: range.end - range.start + 1 } : file);
    if (file.size !== undefined) response.setHeader('Accept-Ranges', 'bytes');
    if (range) {
      response.status(206).setHeader('Content-Range', `bytes ${range.start}-${range.end}/${file.size}`);
    }
    await pipeline(content, response).catch(() => undefined);
  }
}
