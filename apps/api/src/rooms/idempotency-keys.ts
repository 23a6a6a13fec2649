import { Inject, Injectable, Logger } from '@nestjs/common';
import { IdempotencyConflictError } from '../common/errors/chat-errors.js';
import {
  IDEMPOTENCY_STORE,
  type IdempotencyClaim,
  type IdempotencyStore,
} from '../storage/idempotency-store.js';
import { MESSAGE_STORE, type MessageStore } from '../storage/message-store.js';

/** Bound to a key whose clientId a socket `send` used first: no request body ever matches it. */
const SENT_BY_ANOTHER_DOOR = 'sent-by-another-door';

/**
 * How long a request may hold a key without being answered before the key counts as abandoned
 * (the server crashed mid-request, or lost its database before it could release the key). Far
 * above the longest post: every statement of a post gives up after its lock wait plus 5 s.
 */
export const IDEMPOTENCY_LEASE_MS = 10 * 60_000;

/**
 * The HTTP `Idempotency-Key`s of posts: a key is bound to a request body only by a request that
 * succeeded (a stored message, or a command's 202). A request that fails lets go of it, so the
 * corrected retry may use the same key; while a request holds it, another body is refused.
 */
@Injectable()
export class IdempotencyKeys {
  private readonly logger = new Logger(IdempotencyKeys.name);

  constructor(
    @Inject(IDEMPOTENCY_STORE) private readonly store: IdempotencyStore,
    @Inject(MESSAGE_STORE) private readonly messages: MessageStore,
  ) {}

  /**
   * Holds (user, key) for a request with this fingerprint; throws IdempotencyConflictError for a
   * key bound to another body. `replies`: a command took this body before; answer them again.
   *
   * The key is the message's clientId, which a socket `send` may have used already (no body was
   * recorded for it then): such a key is bound for good to a fingerprint no body has, so that
   * the other message never passes for this request's answer (redteam: replay with other content
   * through another door). A key that names a stored message is never taken over.
   */
  async claim(userId: string, key: string, print: string): Promise<{ replies?: readonly string[] }> {
    const now = new Date();
    const at = { now: now.toISOString() };
    if (await this.messages.findByClientId(userId, key)) {
      const other = await this.store.claim(userId, key, SENT_BY_ANOTHER_DOOR, at);
      if (other.status !== 'conflict') {
        await this.store.settle(userId, key, SENT_BY_ANOTHER_DOOR, { stored: true });
        throw conflict(key, false);
      }
      return answer(await this.store.claim(userId, key, print, at), key);
    }
    const freeBefore = new Date(now.getTime() - IDEMPOTENCY_LEASE_MS).toISOString();
    return answer(await this.store.claim(userId, key, print, { ...at, freeBefore }), key);
  }

  /** The post was answered: the key stays bound to this body. */
  async answered(userId: string, key: string, print: string, replies?: readonly string[]): Promise<void> {
    // The answer stands even if this write fails: the binding stays pending, this body's replay
    // still works, and another body is refused until the lease runs out (or, for a stored message, for good).
    await this.store
      .settle(userId, key, print, replies === undefined ? { stored: true } : { stored: false, replies })
      .catch((error: unknown) => this.logger.error(error));
  }

  /** The post failed: this request lets go of the key (the error it failed with is what the caller throws). */
  async failed(userId: string, key: string, print: string): Promise<void> {
    // A store that cannot take this write now leaves the hold to the lease.
    await this.store.release(userId, key, print).catch((error: unknown) => this.logger.error(error));
  }
}

function answer(claim: IdempotencyClaim, key: string): { replies?: readonly string[] } {
  if (claim.status === 'conflict') throw conflict(key, claim.inFlight);
  return claim.status === 'same' && claim.replies !== undefined ? { replies: claim.replies } : {};
}

function conflict(key: string, inFlight: boolean): IdempotencyConflictError {
  return new IdempotencyConflictError(
    inFlight
      ? `Idempotency-Key "${key}" is held by a request with another body (room, text, replyTo, threadId or asUser differ) that is not answered yet: if it fails, the key is free again; else use a new key for a new message`
      : `Idempotency-Key "${key}" was used before with another request (room, text, replyTo, threadId or asUser differ): use a new key for a new message`,
  );
}
