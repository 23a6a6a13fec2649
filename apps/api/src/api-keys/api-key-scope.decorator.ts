import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiExtension } from '@nestjs/swagger';
import type { ApiKeyScope } from '@chat/contracts';

export const API_KEY_SCOPE = 'chat:api-key-scope';

/**
 * Opens a route to API keys that hold `scope` (signed-in users are not affected). A route
 * without it refuses every API key: a key reaches only what was opened to keys on purpose. The
 * OpenAPI document shows the scope as `x-api-key-scope`.
 */
export const RequiresScope = (scope: ApiKeyScope) =>
  applyDecorators(SetMetadata(API_KEY_SCOPE, scope), ApiExtension('x-api-key-scope', scope));
