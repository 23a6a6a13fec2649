import { Body, Controller, HttpCode, Param, Post, UseGuards } from '@nestjs/common';
import { DisconnectUserRequestSchema, type DisconnectUserRequest } from '@chat/contracts';
import { z } from 'zod';
import { RequiresScope } from '../api-keys/api-key-scope.decorator.js';
import { ApiKeysOnlyGuard } from '../api-keys/api-keys-only.guard.js';
import { HttpIdentityGuard } from '../auth/http-identity.guard.js';
import { ZodValidationPipe } from '../common/pipes/zod-validation.pipe.js';
import { ChatCore } from '../core/index.js';
import { ApiDisconnectUser } from '../openapi/service-routes.openapi.js';

/** A service closing a user's connections (API keys with `users:disconnect` only). */
@Controller('api/users/:id')
@UseGuards(HttpIdentityGuard, ApiKeysOnlyGuard)
export class UserConnectionsController {
  constructor(private readonly core: ChatCore) {}

  /**
   * 202: every connection of that user, on every instance, is closed with 4403 (no automatic
   * reconnect). Accepted for any id: whether the user was connected is not known here.
   */
  @Post('disconnect')
  @HttpCode(202)
  @RequiresScope('users:disconnect')
  @ApiDisconnectUser()
  disconnect(
    @Param('id', new ZodValidationPipe(z.string().min(1).max(128))) id: string,
    @Body(new ZodValidationPipe(DisconnectUserRequestSchema.optional()))
    body: DisconnectUserRequest | undefined,
  ): void {
    this.core.disconnectUser(id, body?.reason);
  }
}
