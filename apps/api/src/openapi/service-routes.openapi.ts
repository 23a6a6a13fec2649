import { applyDecorators } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiHeader, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import {
  CreatedWebhookSchema,
  CreateWebhookRequestSchema,
  DeadLetterSchema,
  DisconnectUserRequestSchema,
  HttpErrorSchema,
  PostMessageRequestSchema,
  PostMessageResponseSchema,
  WebhookEndpointSchema,
} from '@chat/contracts';
import { z } from 'zod';
import { openApiSchema } from './zod-openapi.js';

/** The OpenAPI description of the service routes: kept here so the controllers stay one-line hand-offs. */

const error = (status: number, description: string) =>
  ApiResponse({ status, description, schema: openApiSchema(HttpErrorSchema) });

const keyErrors = [
  error(401, 'no valid token or API key (unknown or revoked key)'),
  error(403, 'the API key lacks the scope this route needs (named in the message), or a rule refused it'),
  error(429, "over the key's rate (API_KEY_REQUESTS_PER_MINUTE); see Retry-After"),
];

export const ApiPostMessage = () =>
  applyDecorators(
    ApiTags('messages'),
    ApiBearerAuth(),
    ApiOperation({
      summary: 'Post a message (scope messages:write; asUser needs messages:write:as-user)',
      description:
        'Posts through the chat core exactly as a WebSocket send: policies, hooks, quotas, ordering, durability, fan-out.',
    }),
    ApiHeader({
      name: 'Idempotency-Key',
      required: false,
      description:
        "The message's clientId: the same key and body again answer 200 with the stored message (202 with the same replies for a command, not run again), or 409 with Retry-After while the first is still in flight; a request that failed binds nothing; kept 24 h",
    }),
    ApiBody({ schema: openApiSchema(PostMessageRequestSchema, 'input') }),
    ApiResponse({ status: 201, description: 'stored', schema: openApiSchema(PostMessageResponseSchema) }),
    ApiResponse({
      status: 200,
      description: 'stored before under this Idempotency-Key',
      schema: openApiSchema(PostMessageResponseSchema),
    }),
    ApiResponse({ status: 202, description: 'a slash command took it; nothing was stored' }),
    error(400, 'malformed JSON or body'),
    ...keyErrors,
    error(404, 'no such room'),
    error(
      409,
      'idempotency_conflict: the Idempotency-Key is bound to another body, or names a message sent otherwise (a WebSocket clientId), or is held by a request not answered yet; with the same body still in flight, retryAfterMs and Retry-After: 1 (retry, and get the first answer)',
    ),
    error(413, 'text over MAX_TEXT_LENGTH, or a body over 100 KiB'),
  );

export const ApiDisconnectUser = () =>
  applyDecorators(
    ApiTags('users'),
    ApiBearerAuth(),
    ApiOperation({ summary: "Close a user's connections on every instance (scope users:disconnect)" }),
    ApiBody({ required: false, schema: openApiSchema(DisconnectUserRequestSchema, 'input') }),
    ApiResponse({ status: 202, description: 'closing (4403, no automatic reconnect)' }),
    ...keyErrors,
  );

const webhooks = (summary: string) =>
  applyDecorators(
    ApiTags('webhooks'),
    ApiBearerAuth(),
    ApiOperation({ summary: `${summary} (scope webhooks:manage)` }),
    ...keyErrors,
  );

export const ApiAddWebhook = () =>
  applyDecorators(
    webhooks('Add a webhook endpoint'),
    ApiBody({ schema: openApiSchema(CreateWebhookRequestSchema, 'input') }),
    ApiResponse({
      status: 201,
      description: 'the endpoint and its signing secret, shown once',
      schema: openApiSchema(CreatedWebhookSchema),
    }),
    error(400, 'not an http(s) URL, or a private address without WEBHOOK_ALLOW_PRIVATE'),
  );

export const ApiListWebhooks = () =>
  applyDecorators(
    webhooks('List webhook endpoints'),
    ApiResponse({
      status: 200,
      description: 'the endpoints',
      schema: openApiSchema(z.object({ endpoints: z.array(WebhookEndpointSchema) })),
    }),
  );

export const ApiRemoveWebhook = () =>
  applyDecorators(
    webhooks('Remove a webhook endpoint'),
    ApiResponse({ status: 204, description: 'removed' }),
    error(404, 'no such endpoint'),
  );

export const ApiListDeadLetters = () =>
  applyDecorators(
    webhooks('List dead letters (events given up on)'),
    ApiResponse({
      status: 200,
      description: 'oldest first',
      schema: openApiSchema(z.object({ deadLetters: z.array(DeadLetterSchema) })),
    }),
  );

export const ApiRetryDeadLetter = () =>
  applyDecorators(
    webhooks('Queue a dead letter for another round of attempts'),
    ApiResponse({ status: 202, description: 'queued' }),
    error(404, 'no such dead letter'),
  );
