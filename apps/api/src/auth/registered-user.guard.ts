import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { User } from '@chat/contracts';
import { ForbiddenError } from '../common/errors/chat-errors.js';
import type { AuthenticatedRequest } from './http-identity.guard.js';

/**
 * Admits registered users only, on WebSocket handlers and HTTP routes alike. Runs after the
 * identity guard of its context, which has established who the user is.
 */
@Injectable()
export class RegisteredUserGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    // A WebSocket client of ours (ws/ClientConnection) carries its user: auth needs no more of it.
    const user: User | undefined =
      context.getType() === 'ws'
        ? context.switchToWs().getClient<{ user?: User }>().user
        : context.switchToHttp().getRequest<AuthenticatedRequest>().user;
    if (!user || user.guest) {
      throw new ForbiddenError('guests cannot do this: register or log in with an account');
    }
    return true;
  }
}
