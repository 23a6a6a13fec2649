import type { IncomingMessage } from 'node:http';
import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { User } from '@chat/contracts';
import { IdentityService } from './identity.service.js';
import { UnauthorizedError } from '../common/errors/chat-errors.js';
import { ApiKeyAdmission } from '../api-keys/api-key-guard.js';
import { isApiKey } from '../api-keys/api-key-secret.js';
import type { StoredApiKey } from '../storage/api-key-store.js';

export type AuthenticatedRequest = IncomingMessage & { user?: User; apiKey?: StoredApiKey };

/**
 * Admits HTTP requests that carry a valid, unrevoked token (header or cookie) and puts the user on
 * the request. A bearer API key (`chat_sk_...`, header only) is admitted by ApiKeyAdmission on
 * the routes opened to keys (`@RequiresScope`), as its bot.
 */
@Injectable()
export class HttpIdentityGuard implements CanActivate {
  constructor(
    private readonly identity: IdentityService,
    private readonly apiKeys: ApiKeyAdmission,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const bearer = request.headers.authorization?.match(/^bearer\s+(\S+)\s*$/i)?.[1];
    if (bearer !== undefined && isApiKey(bearer)) {
      await this.apiKeys.admit(request, bearer, context);
      return true;
    }
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
