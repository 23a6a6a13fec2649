import type { ErrorCode } from '@chat/contracts';

/**
 * A failure the client can act on. Each subclass fixes its wire code; the message says what
 * went wrong and how to fix it. The WebSocket filter and the HTTP filter map these in one place.
 */
export abstract class ChatError extends Error {
  abstract readonly code: ErrorCode;
}

export class BadRequestError extends ChatError {
  readonly code = 'bad_request';
}

export class UnauthorizedError extends ChatError {
  readonly code = 'unauthorized';
}

export class ForbiddenError extends ChatError {
  readonly code = 'forbidden';
}

export class NotFoundError extends ChatError {
  readonly code = 'not_found';
}

export class TooLargeError extends ChatError {
  readonly code = 'too_large';
}

export class RateLimitedError extends ChatError {
  readonly code = 'rate_limited';

  constructor(
    message: string,
    /** When known (shared quotas): how long until a retry can succeed. */
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }
}

export class UnavailableError extends ChatError {
  readonly code = 'unavailable';
}

export class ConflictError extends ChatError {
  readonly code = 'conflict';
}

/** An `Idempotency-Key` that was used before for a request with another body. */
export class IdempotencyConflictError extends ChatError {
  readonly code = 'idempotency_conflict';
}

/**
 * An `Idempotency-Key` held by an identical request that is not answered yet: running this one
 * too could run its command twice. Retry it (`retryAfterMs`) and get the first one's answer.
 */
export class IdempotencyKeyInFlightError extends IdempotencyConflictError {
  readonly retryAfterMs = 1000;
}

export class NotAMemberError extends ForbiddenError {
  constructor(room: string) {
    super(`you are not in room "${room}": send {"event":"join","data":{"room":"${room}"}} first`);
  }
}

/**
 * A clientId names one thing one user did (a message, an edit, a delete, a reaction), in one room:
 * reusing it for another room or another action is a client bug.
 */
export class ClientIdReusedError extends BadRequestError {
  constructor(clientId: string, room: string, what = 'a message') {
    super(
      `clientId "${clientId}" was already used for ${what} in room "${room}": use a new clientId (a UUID) for every message, edit, delete and reaction`,
    );
  }
}
