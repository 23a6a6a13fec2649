import { Controller, HttpCode, Post, Req, Res, UseGuards } from '@nestjs/common';
import type { UploadResponse, User } from '@chat/contracts';
import type { Request, Response } from 'express';
import { HttpIdentityGuard } from '../auth/http-identity.guard.js';
import { Registered } from '../auth/registered.decorator.js';
import { RequestUser } from '../auth/request-user.decorator.js';
import { UPLOADS_ROUTE } from './uploads-route.js';
import { UploadsService } from './uploads.service.js';

/** `POST /api/uploads`: one file in the multipart field `file`, for registered users. */
@Controller(UPLOADS_ROUTE)
@UseGuards(HttpIdentityGuard)
export class UploadsController {
  constructor(private readonly uploads: UploadsService) {}

  @Post()
  @Registered()
  @HttpCode(201)
  async upload(
    @RequestUser() user: User,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ): Promise<UploadResponse> {
    try {
      return await this.uploads.receive(request, user);
    } catch (error) {
      // Refused before the body was all read: answer now, and read no further than needed to
      // close. The client sees the status while it is still sending.
      if (!request.complete) {
        response.setHeader('Connection', 'close');
        request.unpipe();
        request.resume();
      }
      throw error;
    }
  }
}
