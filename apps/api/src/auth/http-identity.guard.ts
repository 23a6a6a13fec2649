import type { IncomingMessage } from 'node:http';
import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { User } from '@chat/contracts';
import { IdentityService } from './identity.service.js';
import { UnauthorizedError } from '../common/errors/chat-errors.js';

export type AuthenticatedRequest = IncomingMessage & { user?: User };

/**
 * Admits HTTP requests that carry a valid, unrevoked token (header or cookie) and puts the user on
 * the request.
 */
@Injectable()
export class HttpIdentityGuard implements CanActivate {
  constructor(private readonly identity: IdentityService) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const session = await this.identity.fromToken(request);
    if (!session) {
      throw new UnauthorizedError(
        'not signed in: POST /api/auth/guest, /api/auth/login or /api/auth/register first',
      );
    }
    request.user = session.user;
    return true;
  }
}
