import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { ForbiddenError } from '../common/errors/chat-errors.js';
import type { ApiKeyRequest } from './api-key-guard.js';

/**
 * For routes that act on the whole server (webhooks, disconnecting anyone): an API key with the
 * route's scope only, never a signed-in user. Runs after HttpIdentityGuard.
 */
@Injectable()
export class ApiKeysOnlyGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    if (!context.switchToHttp().getRequest<ApiKeyRequest>().apiKey) {
      throw new ForbiddenError(
        'this route is for API keys (Authorization: Bearer chat_sk_...), not for users',
      );
    }
    return true;
  }
}
