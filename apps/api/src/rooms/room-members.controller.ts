import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Query, UseGuards } from '@nestjs/common';
import {
  AddMemberRequestSchema,
  BanRequestSchema,
  ChangeRoleRequestSchema,
  MembersQuerySchema,
  MuteRequestSchema,
  RoomNameSchema,
  type AddMemberRequest,
  type BanRequest,
  type ChangeRoleRequest,
  type MembersQuery,
  type MuteRequest,
  type RoomMember,
  type RoomMembers,
  type User,
} from '@chat/contracts';
import { z } from 'zod';
import { RequiresScope } from '../api-keys/api-key-scope.decorator.js';
import { HttpIdentityGuard } from '../auth/http-identity.guard.js';
import { RequestUser } from '../auth/request-user.decorator.js';
import { ZodValidationPipe } from '../common/pipes/zod-validation.pipe.js';
import { RoomModeration } from '../core/membership/room-moderation.js';
import { HttpReadQuotaGuard } from '../quotas/http-read-quota.guard.js';

const MEMBERS_DEFAULT_LIMIT = 100;
const UsernameParam = z.string().min(1).max(64);

/**
 * A room's members, bans and mutes (docs/protocol.md, "HTTP API"). Who may do what: RoomModeration
 * (for an API key with `members:manage`, its bot's own role in the room).
 */
@Controller('api/rooms/:room')
@UseGuards(HttpIdentityGuard)
@RequiresScope('members:manage')
export class RoomMembersController {
  constructor(private readonly moderation: RoomModeration) {}

  @Get('members')
  @RequiresScope('members:manage', 'rooms:read')
  @UseGuards(HttpReadQuotaGuard)
  members(
    @Param('room', new ZodValidationPipe(RoomNameSchema)) room: string,
    @Query(new ZodValidationPipe(MembersQuerySchema)) query: MembersQuery,
    @RequestUser() user: User,
  ): Promise<RoomMembers> {
    return this.moderation.members(room, user, {
      limit: query.limit ?? MEMBERS_DEFAULT_LIMIT,
      ...(query.cursor !== undefined && { cursor: query.cursor }),
    });
  }

  @Post('members')
  add(
    @Param('room', new ZodValidationPipe(RoomNameSchema)) room: string,
    @Body(new ZodValidationPipe(AddMemberRequestSchema)) body: AddMemberRequest,
    @RequestUser() user: User,
  ): Promise<RoomMember> {
    return this.moderation.add(room, user, body.username);
  }

  /** `me` for yourself (leaving). */
  @Delete('members/:username')
  @HttpCode(204)
  remove(
    @Param('room', new ZodValidationPipe(RoomNameSchema)) room: string,
    @Param('username', new ZodValidationPipe(UsernameParam)) username: string,
    @RequestUser() user: User,
  ): Promise<void> {
    return this.moderation.remove(room, user, username);
  }

  @Put('members/:username')
  setRole(
    @Param('room', new ZodValidationPipe(RoomNameSchema)) room: string,
    @Param('username', new ZodValidationPipe(UsernameParam)) username: string,
    @Body(new ZodValidationPipe(ChangeRoleRequestSchema)) body: ChangeRoleRequest,
    @RequestUser() user: User,
  ): Promise<RoomMember> {
    return this.moderation.setRole(room, user, username, body.role);
  }

  @Post('bans')
  @HttpCode(201)
  ban(
    @Param('room', new ZodValidationPipe(RoomNameSchema)) room: string,
    @Body(new ZodValidationPipe(BanRequestSchema)) body: BanRequest,
    @RequestUser() user: User,
  ): Promise<void> {
    return this.moderation.ban(room, user, body.username);
  }

  @Delete('bans/:username')
  @HttpCode(204)
  unban(
    @Param('room', new ZodValidationPipe(RoomNameSchema)) room: string,
    @Param('username', new ZodValidationPipe(UsernameParam)) username: string,
    @RequestUser() user: User,
  ): Promise<void> {
    return this.moderation.unban(room, user, username);
  }

  @Post('mutes')
  @HttpCode(201)
  mute(
    @Param('room', new ZodValidationPipe(RoomNameSchema)) room: string,
    @Body(new ZodValidationPipe(MuteRequestSchema)) body: MuteRequest,
    @RequestUser() user: User,
  ): Promise<void> {
    return this.moderation.mute(room, user, body.username, body.minutes);
  }

  @Delete('mutes/:username')
  @HttpCode(204)
  unmute(
    @Param('room', new ZodValidationPipe(RoomNameSchema)) room: string,
    @Param('username', new ZodValidationPipe(UsernameParam)) username: string,
    @RequestUser() user: User,
  ): Promise<void> {
    return this.moderation.unmute(room, user, username);
  }
}
