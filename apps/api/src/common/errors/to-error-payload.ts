import type { ErrorCode, ErrorPayload } from '@chat/contracts';
import { ChatError, IdempotencyKeyInFlightError, RateLimitedError } from './chat-errors.js';
import { StorageUnavailableError, storageFailureReason } from './storage-failure.js';

const INTERNAL_MESSAGE = 'internal error: the server could not handle this frame; it has been logged';

/**
 * The one place where any thrown value becomes the wire's error shape. A storage failure that
 * no store wrapped (a full disk, a lock, a lost connection) is still `unavailable`, so the client
 * retries, but it is logged: it is a path that should have said so itself.
 */
export function toErrorPayload(error: unknown): { payload: ErrorPayload; expected: boolean } {
  if (error instanceof ChatError) {
    const retryAfterMs =
      error instanceof RateLimitedError || error instanceof IdempotencyKeyInFlightError
        ? error.retryAfterMs
        : undefined;
    return {
      payload: {
        code: error.code,
        message: error.message,
        ...(retryAfterMs !== undefined && { retryAfterMs }),
      },
      expected: true,
    };
  }
  const reason = storageFailureReason(error);
  if (reason !== null) {
    const { code, message } = new StorageUnavailableError(reason);
    return { payload: { code, message }, expected: false };
  }
  return { payload: { code: 'internal', message: INTERNAL_MESSAGE }, expected: false };
}

export const HTTP_STATUS_BY_CODE: Record<ErrorCode, number> = {
  bad_request: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  too_large: 413,
  rate_limited: 429,
  unavailable: 503,
  internal: 500,
  conflict: 409,
  idempotency_conflict: 409,
};
