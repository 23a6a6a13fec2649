import { z } from 'zod';
import { ChatMessageSchema, ClientIdSchema } from './common.js';

// --- The HTTP API for services: API keys, posting, webhooks (docs/embedding.md)

/**
 * What an API key may do. A key holds a list of these; a route names the ones it accepts, and
 * a key with none of them is refused with 403 naming the missing scope.
 */
export const ApiKeyScopeSchema = z.enum([
  /**
   * Read what the key's bot may read: history pages, search, files of those messages, and the
   * bot's own rooms. No write scope includes it (keys made before it could not read).
   */
  'messages:read',
  /** Post messages as the key's bot. */
  'messages:write',
  /** Post messages on behalf of a member of the room (`asUser`). */
  'messages:write:as-user',
  /** List the public directory, a room's members and the bot's own rooms; changes nothing. */
  'rooms:read',
  /** Create rooms, change their topic, list the directory. */
  'rooms:manage',
  /** Add, remove, ban, mute members and change roles (with the bot's own role in the room). */
  'members:manage',
  /** Close a user's connections on every instance. */
  'users:disconnect',
  /** Add, list and remove webhook endpoints, list and retry dead letters. */
  'webhooks:manage',
]);
export type ApiKeyScope = z.infer<typeof ApiKeyScopeSchema>;
export const API_KEY_SCOPES: readonly ApiKeyScope[] = ApiKeyScopeSchema.options;

/** Every API key starts with this, so a server (and a secret scanner) tells it from a JWT at a glance. */
export const API_KEY_PREFIX = 'chat_sk_';

/** `POST /api/rooms/:room/messages`. `Idempotency-Key` (header) is the message's clientId. */
export const PostMessageRequestSchema = z.strictObject({
  text: z.string(),
  replyTo: z.string().min(1).max(64).optional(),
  threadId: z.string().min(1).max(64).optional(),
  /** Post on behalf of this member of the room (user id); needs the `messages:write:as-user` scope. */
  asUser: z.string().min(1).max(128).optional(),
});
export type PostMessageRequest = z.infer<typeof PostMessageRequestSchema>;

/** 201 (stored now) or 200 (the same Idempotency-Key and body were stored before). */
export const PostMessageResponseSchema = z.object({ message: ChatMessageSchema });
export type PostMessageResponse = z.infer<typeof PostMessageResponseSchema>;

export const IdempotencyKeyHeaderSchema = ClientIdSchema;

/** `POST /api/users/:id/disconnect`. */
export const DisconnectUserRequestSchema = z.strictObject({ reason: z.string().max(200).optional() });
export type DisconnectUserRequest = z.infer<typeof DisconnectUserRequestSchema>;

/** What a webhook delivers; `message.created` is the WebSocket `message` event. */
export const WebhookEventTypeSchema = z.enum([
  'message.created',
  'message.edited',
  'message.deleted',
  'reaction',
  'member',
]);
export type WebhookEventType = z.infer<typeof WebhookEventTypeSchema>;
export const WEBHOOK_EVENT_TYPES: readonly WebhookEventType[] = WebhookEventTypeSchema.options;

/**
 * The body of every webhook request: `data` has the shape of the WebSocket event's data
 * (docs/protocol.md). Signed with the Standard Webhooks headers.
 */
export interface WebhookPayload {
  type: WebhookEventType;
  /** ISO-8601: when the event happened (message time, edit time) or was first sent. */
  timestamp: string;
  data: unknown;
}

export const CreateWebhookRequestSchema = z.strictObject({
  url: z.string().min(1).max(2048),
  /** Absent or empty: every event type. */
  events: z.array(WebhookEventTypeSchema).max(WEBHOOK_EVENT_TYPES.length).optional(),
});
export type CreateWebhookRequest = z.infer<typeof CreateWebhookRequestSchema>;

export const WebhookEndpointSchema = z.object({
  id: z.string(),
  url: z.string(),
  events: z.array(WebhookEventTypeSchema),
  enabled: z.boolean(),
  createdAt: z.string(),
});
export type WebhookEndpoint = z.infer<typeof WebhookEndpointSchema>;

/** 201: the endpoint and its signing secret (`whsec_...`), shown this once. */
export const CreatedWebhookSchema = z.object({ endpoint: WebhookEndpointSchema, secret: z.string() });
export type CreatedWebhook = z.infer<typeof CreatedWebhookSchema>;

export const DeadLetterSchema = z.object({
  id: z.string(),
  endpointId: z.string(),
  room: z.string(),
  seq: z.number().int(),
  webhookId: z.string(),
  type: WebhookEventTypeSchema,
  attempts: z.number().int(),
  lastError: z.string(),
  state: z.enum(['dead', 'retrying']),
  createdAt: z.string(),
});
export type DeadLetter = z.infer<typeof DeadLetterSchema>;
