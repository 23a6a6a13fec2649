import type { CanActivate, ExecutionContext } from '@nestjs/common';
import { Injectable } from '@nestjs/common';
import type { ClientConnection } from './client-connection.js';
import { UnauthorizedError } from '../common/errors/chat-errors.js';

/**
 * Lets a frame through only on a connection with an identity (resolved at the upgrade) and
 * exposes that identity to the handler through {@link CurrentUser}.
 */
@Injectable()
export class WsIdentityGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const connection = context.switchToWs().getClient<ClientConnection>();
    if (!connection.isAuthenticated) {
      throw new UnauthorizedError('not signed in: reconnect with a valid token or as a guest');
    }
    return true;
  }
}
