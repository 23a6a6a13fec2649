import { z } from 'zod';

/** Every `error` frame (and HTTP error body) carries one of these codes. */
export const ErrorCodeSchema = z.enum([
  'bad_request',
  'unauthorized',
  'forbidden',
  'not_found',
  'too_large',
  'rate_limited',
  'unavailable',
  'internal',
  /** HTTP only (409): e.g. a username that is taken. */
  'conflict',
  /** HTTP only (409): an `Idempotency-Key` used before with another body. */
  'idempotency_conflict',
]);
export type ErrorCode = z.infer<typeof ErrorCodeSchema>;

/** WebSocket close codes used by the server (RFC 6455 plus the 4xxx application range). */
export const CloseCode = {
  normal: 1000,
  goingAway: 1001,
  invalidPayload: 1007,
  policyViolation: 1008,
  messageTooBig: 1009,
  internalError: 1011,
  tryAgainLater: 1013,
  unauthorized: 4401,
  forbidden: 4403,
  /** The server removed this user's connections (ChatCore.disconnectUser): same code, no automatic reconnect. */
  removed: 4403,
} as const;
export type CloseCode = (typeof CloseCode)[keyof typeof CloseCode];

/** Close codes after which a client must not reconnect on its own. */
export const NO_RECONNECT_CLOSE_CODES: readonly number[] = [CloseCode.unauthorized, CloseCode.forbidden];

export const ErrorPayloadSchema = z.object({
  code: ErrorCodeSchema,
  /** Human-readable: what went wrong and how to fix it. */
  message: z.string(),
  /** The event of the frame that failed, when known. */
  event: z.string().optional(),
  /** The clientId of the `send` that failed, when known. */
  clientId: z.string().optional(),
  /** The room the failed frame was about, when known. */
  room: z.string().optional(),
  /** With `rate_limited` from a shared quota: milliseconds until a retry can succeed. */
  retryAfterMs: z.number().int().min(0).optional(),
});
export type ErrorPayload = z.infer<typeof ErrorPayloadSchema>;
