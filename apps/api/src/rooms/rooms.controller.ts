import { Body, Controller, Get, Inject, Param, Post, Query, Req, Res, UseGuards } from '@nestjs/common';
import {
  CreateRoomRequestSchema,
  HISTORY_DEFAULT_LIMIT,
  MessagesQuerySchema,
  ROOMS_PAGE_DEFAULT_LIMIT,
  RoomNameSchema,
  RoomsQuerySchema,
  type CreateRoomRequest,
  type MessagesPage,
  type MessagesQuery,
  type RoomList,
  type RoomsQuery,
  type RoomSummary,
  type User,
} from '@chat/contracts';
import type { Request, Response } from 'express';
import { Registered } from '../auth/registered.decorator.js';
import { RequestUser } from '../auth/request-user.decorator.js';
import { HttpIdentityGuard } from '../auth/http-identity.guard.js';
import { ZodValidationPipe } from '../common/pipes/zod-validation.pipe.js';
import { AppConfigService } from '../config/app-config.service.js';
import { frameBudgetConfig, pageBudgetBytes } from '../config/frame-budget.js';
import { HttpReadQuotaGuard } from '../quotas/http-read-quota.guard.js';
import { MESSAGE_STORE, type MessageStore } from '../storage/message-store.js';
import { RoomsService } from './rooms.service.js';

@Controller('api/rooms')
@UseGuards(HttpIdentityGuard)
export class RoomsController {
  /** The same byte budget as a `history` page, so both pages are the same. */
  private readonly pageBytes: number;

  constructor(
    private readonly rooms: RoomsService,
    @Inject(MESSAGE_STORE) private readonly messages: MessageStore,
    config: AppConfigService,
  ) {
    this.pageBytes = pageBudgetBytes(frameBudgetConfig(config));
  }

  /** Rooms by name, a page at a time, with how many users are online in each and when it last saw a message. */
  @Get()
  @UseGuards(HttpReadQuotaGuard)
  list(@Query(new ZodValidationPipe(RoomsQuerySchema)) query: RoomsQuery): Promise<RoomList> {
    return this.rooms.list({ cursor: query.cursor, limit: query.limit ?? ROOMS_PAGE_DEFAULT_LIMIT });
  }

  /** Creates a room (registered users). 201 when new, 200 when it already existed. */
  @Post()
  @Registered()
  async create(
    @Body(new ZodValidationPipe(CreateRoomRequestSchema)) body: CreateRoomRequest,
    @RequestUser() user: User,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ): Promise<Pick<RoomSummary, 'name'>> {
    const created = await this.rooms.createWithinQuota(body.name, user, request.ip ?? 'unknown');
    response.status(created ? 201 : 200);
    return { name: body.name };
  }

  /**
   * The same pages as the WebSocket `history` event: newest `limit` messages before `before`, in
   * their latest state for the caller (`me` on reactions); with `threadId`, that thread's replies.
   */
  @Get(':room/messages')
  @UseGuards(HttpReadQuotaGuard)
  async page(
    @Param('room', new ZodValidationPipe(RoomNameSchema)) room: string,
    @Query(new ZodValidationPipe(MessagesQuerySchema)) query: MessagesQuery,
    @RequestUser() user: User | undefined,
  ): Promise<MessagesPage> {
    await this.rooms.assertExists(room);
    const page = await this.messages.readPage(room, {
      before: query.before,
      limit: query.limit ?? HISTORY_DEFAULT_LIMIT,
      maxBytes: this.pageBytes,
      viewer: user?.id,
      ...(query.threadId !== undefined && { threadId: query.threadId }),
    });
    return { room, messages: page.messages, hasMore: page.hasMore };
  }
}
