import { Body, Controller, Get, Post, Res, UseGuards } from '@nestjs/common';
import {
  OpenDmRequestSchema,
  type MyRooms,
  type OpenDmRequest,
  type RoomInfo,
  type User,
} from '@chat/contracts';
import type { Response } from 'express';
import { RequiresScope } from '../api-keys/api-key-scope.decorator.js';
import { HttpIdentityGuard } from '../auth/http-identity.guard.js';
import { RequestUser } from '../auth/request-user.decorator.js';
import { ZodValidationPipe } from '../common/pipes/zod-validation.pipe.js';
import { RoomMembership } from '../core/membership/room-membership.js';

/** Your rooms and DMs, with your counts; opening a DM. */
@Controller('api')
@UseGuards(HttpIdentityGuard)
export class MyRoomsController {
  constructor(private readonly membership: RoomMembership) {}

  /** For a key, its bot's rooms: what a reader of messages needs to find them. */
  @Get('me/rooms')
  @RequiresScope('messages:read', 'rooms:read')
  async myRooms(@RequestUser() user: User): Promise<MyRooms> {
    return { rooms: await this.membership.roomsOf(user) };
  }

  /** 201 when the DM is new, 200 when it existed: the same room for the pair, from either side. */
  @Post('dms')
  async openDm(
    @Body(new ZodValidationPipe(OpenDmRequestSchema)) body: OpenDmRequest,
    @RequestUser() user: User,
    @Res({ passthrough: true }) response: Response,
  ): Promise<RoomInfo> {
    const { room, created } = await this.membership.openDm(user, body.username);
    response.status(created ? 201 : 200);
    return room;
  }
}
