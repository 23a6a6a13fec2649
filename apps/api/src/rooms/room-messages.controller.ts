import { Body, Controller, Headers, Param, Post, Req, Res, UseGuards } from '@nestjs/common';
import {
  IdempotencyKeyHeaderSchema,
  PostMessageRequestSchema,
  RoomNameSchema,
  type PostMessageRequest,
  type PostMessageResponse,
  type User,
} from '@chat/contracts';
import type { Response } from 'express';
import { RequiresScope } from '../api-keys/api-key-scope.decorator.js';
import { HttpIdentityGuard, type AuthenticatedRequest } from '../auth/http-identity.guard.js';
import { RequestUser } from '../auth/request-user.decorator.js';
import { ZodValidationPipe } from '../common/pipes/zod-validation.pipe.js';
import { ApiPostMessage } from '../openapi/service-routes.openapi.js';
import { HttpPosts } from './http-posts.js';

/** Posting over HTTP (users and API keys alike); reading pages is RoomsController's. */
@Controller('api/rooms/:room/messages')
@UseGuards(HttpIdentityGuard)
export class RoomMessagesController {
  constructor(private readonly posts: HttpPosts) {}

  /** 201 {message}; 200 {message} for a replayed Idempotency-Key; 202 {replies} when a command took it. */
  @Post()
  @RequiresScope('messages:write')
  @ApiPostMessage()
  async post(
    @Param('room', new ZodValidationPipe(RoomNameSchema)) room: string,
    @Headers('idempotency-key') header: string | undefined,
    @Body(new ZodValidationPipe(PostMessageRequestSchema)) body: PostMessageRequest,
    @RequestUser() user: User,
    @Req() request: AuthenticatedRequest,
    @Res({ passthrough: true }) response: Response,
  ): Promise<PostMessageResponse | { replies: readonly string[] }> {
    const idempotencyKey = new ZodValidationPipe(IdempotencyKeyHeaderSchema.optional()).transform(header);
    const caller = { user, ...(request.apiKey && { apiKey: request.apiKey }) };
    const outcome = await this.posts.post(room, body, caller, idempotencyKey);
    if (!outcome.stored) {
      response.status(202);
      return { replies: outcome.replies };
    }
    response.status(outcome.replayed ? 200 : 201);
    return { message: outcome.message };
  }
}
