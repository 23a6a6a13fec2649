import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiExtension } from '@nestjs/swagger';
import type { ApiKeyScope } from '@chat/contracts';

export const API_KEY_SCOPE = 'chat:api-key-scope';

/**
 * Opens a route to API keys that hold one of `scopes` (signed-in users are not affected). A
 * route without it refuses every API key: a key reaches only what was opened to keys on purpose.
 * A read route of a manage scope takes the read scope too (`GET /api/rooms`: `rooms:manage` or
 * `rooms:read`). The OpenAPI document shows the first scope as `x-api-key-scope` (the one a
 * route had when it had one) and, for several, all of them as `x-api-key-scopes`.
 */
export const RequiresScope = (...scopes: [ApiKeyScope, ...ApiKeyScope[]]) =>
  applyDecorators(
    SetMetadata(API_KEY_SCOPE, scopes),
    ApiExtension('x-api-key-scope', scopes[0]),
    ...(scopes.length > 1 ? [ApiExtension('x-api-key-scopes', scopes)] : []),
  );
