import { Body, Controller, Get, Inject, Param, Patch, Post, Query, Req, UseGuards } from '@nestjs/common';
import {
  CreateRoomRequestSchema,
  HISTORY_DEFAULT_LIMIT,
  MessagesQuerySchema,
  ROOMS_PAGE_DEFAULT_LIMIT,
  RoomNameSchema,
  RoomsQuerySchema,
  UpdateRoomRequestSchema,
  type CreateRoomRequest,
  type MessagesPage,
  type MessagesQuery,
  type RoomInfo,
  type RoomList,
  type RoomsQuery,
  type UpdateRoomRequest,
  type User,
} from '@chat/contracts';
import type { Request } from 'express';
import { RequiresScope } from '../api-keys/api-key-scope.decorator.js';
import { Registered } from '../auth/registered.decorator.js';
import { RequestUser } from '../auth/request-user.decorator.js';
import { HttpIdentityGuard } from '../auth/http-identity.guard.js';
import { readHistoryWindow } from '../storage/history-window.js';
import { ZodValidationPipe } from '../common/pipes/zod-validation.pipe.js';
import { AppConfigService } from '../config/app-config.service.js';
import { frameBudgetConfig, pageBudgetBytes } from '../config/frame-budget.js';
import { MembershipPermissions } from '../core/membership/membership-permissions.js';
import { RoomMembership } from '../core/membership/room-membership.js';
import { RoomModeration } from '../core/membership/room-moderation.js';
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
    private readonly membership: RoomMembership,
    private readonly moderation: RoomModeration,
    private readonly permissions: MembershipPermissions,
    @Inject(MESSAGE_STORE) private readonly messages: MessageStore,
    config: AppConfigService,
  ) {
    this.pageBytes = pageBudgetBytes(frameBudgetConfig(config));
  }

  /** The public directory by name, a page at a time (`q`: a name prefix), with who is online in each. */
  @Get()
  @RequiresScope('rooms:manage', 'rooms:read')
  @UseGuards(HttpReadQuotaGuard)
  list(@Query(new ZodValidationPipe(RoomsQuerySchema)) query: RoomsQuery): Promise<RoomList> {
    return this.rooms.list({
      cursor: query.cursor,
      limit: query.limit ?? ROOMS_PAGE_DEFAULT_LIMIT,
      ...(query.q !== undefined && { q: query.q }),
    });
  }

  /** Creates a room you own (registered users): 201 RoomInfo; 409 when the name is taken. */
  @Post()
  @RequiresScope('rooms:manage')
  @Registered()
  create(
    @Body(new ZodValidationPipe(CreateRoomRequestSchema)) body: CreateRoomRequest,
    @RequestUser() user: User,
    @Req() request: Request,
  ): Promise<RoomInfo> {
    return this.membership.create(user, body, request.ip ?? 'unknown');
  }

  /** A new topic (owners); '' clears it. */
  @Patch(':room')
  @RequiresScope('rooms:manage')
  setTopic(
    @Param('room', new ZodValidationPipe(RoomNameSchema)) room: string,
    @Body(new ZodValidationPipe(UpdateRoomRequestSchema)) body: UpdateRoomRequest,
    @RequestUser() user: User,
  ): Promise<RoomInfo> {
    return this.moderation.setTopic(room, user, body.topic);
  }

  /**
   * The same pages as the WebSocket `history` event: newest `limit` messages before `before` (or
   * after `after`, or around `around`), in their latest state for the caller (`me` on
   * reactions); with `threadId`, that thread's replies.
   */
  @Get(':room/messages')
  @RequiresScope('messages:read')
  @UseGuards(HttpReadQuotaGuard)
  async page(
    @Param('room', new ZodValidationPipe(RoomNameSchema)) room: string,
    @Query(new ZodValidationPipe(MessagesQuerySchema)) query: MessagesQuery,
    @RequestUser() user: User,
  ): Promise<MessagesPage> {
    await this.permissions.readable(room, user);
    const window = await readHistoryWindow(
      (page) => this.messages.readPage(room, page),
      { room, ...query, limit: query.limit ?? HISTORY_DEFAULT_LIMIT },
      {
        maxBytes: this.pageBytes,
        viewer: user.id,
        ...(query.threadId !== undefined && { threadId: query.threadId }),
      },
    );
    return { room, ...window };
  }
}
