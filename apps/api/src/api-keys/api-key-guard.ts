import type { IncomingMessage } from 'node:http';
import { Injectable, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { ApiKeyScope, User } from '@chat/contracts';
import { ForbiddenError } from '../common/errors/chat-errors.js';
import type { StoredApiKey } from '../storage/api-key-store.js';
import { ApiKeyRateLimit } from './api-key-rate-limit.js';
import { API_KEY_SCOPE } from './api-key-scope.decorator.js';
import { ApiKeysService } from './api-keys.service.js';

/** A request admitted with an API key: `user` is the key's bot. */
export type ApiKeyRequest = IncomingMessage & { user?: User; apiKey?: StoredApiKey };

/**
 * What the HTTP identity guard does with a bearer API key: the key must be valid (401), the
 * route opened to keys with a scope the key holds (403 naming it), and the key within its rate
 * (429). Then the key's bot is the request's user.
 */
@Injectable()
export class ApiKeyAdmission {
  constructor(
    private readonly keys: ApiKeysService,
    private readonly rate: ApiKeyRateLimit,
    private readonly reflector: Reflector,
  ) {}

  async admit(request: ApiKeyRequest, token: string, context: ExecutionContext): Promise<void> {
    const { key, user } = await this.keys.authenticate(token);
    const scopes = this.reflector.getAllAndOverride<readonly ApiKeyScope[] | undefined>(API_KEY_SCOPE, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (scopes === undefined) {
      throw new ForbiddenError(
        'API keys cannot be used on this route: sign in as a user (see /api/docs for the key routes)',
      );
    }
    if (!scopes.some((scope) => key.scopes.includes(scope))) throw new ForbiddenError(missingScope(scopes));
    await this.rate.take(key.id, key.name);
    request.user = user;
    request.apiKey = key;
  }
}

function missingScope(scopes: readonly ApiKeyScope[]): string {
  const named = scopes.map((scope) => `"${scope}"`).join(' or ');
  const lacks = scopes.length === 1 ? `the scope ${named}` : `a scope this route accepts (${named})`;
  return `this API key lacks ${lacks}: create a key with --scopes ${scopes.join(' or --scopes ')}`;
}
