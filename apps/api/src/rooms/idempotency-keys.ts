import { randomUUID } from 'node:crypto';
import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import {
  ChatError,
  IdempotencyConflictError,
  IdempotencyKeyInFlightError,
  UnavailableError,
} from '../common/errors/chat-errors.js';
import type { PostOutcome } from '../core/index.js';
import {
  IDEMPOTENCY_STORE,
  type IdempotencyClaim,
  type IdempotencyOutcome,
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
 * How long a settled key is kept after its request (Stripe keeps keys 24 h too): a replay within
 * it gets the first answer; after it, a command's key runs the command again, and a message's
 * key is a 409 (the message store keeps its clientId for good).
 */
export const IDEMPOTENCY_RETENTION_MS = 24 * 3600_000;

/** A key as a request claimed it: `hold` while this request is the one that answers it. */
export interface ClaimedKey {
  readonly userId: string;
  readonly key: string;
  /** Set when this request holds the key: it runs the post, then settles or releases. */
  readonly hold?: string;
  /** A command took this body before: answer them again, without running it. */
  readonly replies?: readonly string[];
}

/**
 * The HTTP `Idempotency-Key`s of posts: a key is bound to a request body only by a request that
 * succeeded (a stored message, or a command's 202). A request that fails lets go of it, so the
 * corrected retry may use the same key; while a request holds it, any other request with the key
 * is refused (another body for good if the first succeeds; the same body until it is answered,
 * then its replay gets that answer). Bindings are pruned on a timer (see {@link IdempotencyKeys.prune}).
 */
@Injectable()
export class IdempotencyKeys implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(IdempotencyKeys.name);
  private pruneTimer: NodeJS.Timeout | undefined;
  /** A prune is running (a backlog may take longer than the timer's period). */
  private pruning = false;
  private stopped = false;

  constructor(
    @Inject(IDEMPOTENCY_STORE) private readonly store: IdempotencyStore,
    @Inject(MESSAGE_STORE) private readonly messages: MessageStore,
  ) {}

  onApplicationBootstrap(): void {
    // Every instance prunes: deleting a row twice is harmless.
    this.pruneTimer = setInterval(() => void this.pruneQuietly(), PRUNE_EVERY_MS);
    this.pruneTimer.unref();
  }

  onModuleDestroy(): void {
    this.stopped = true;
    clearInterval(this.pruneTimer);
  }

  /**
   * Claims (user, key) for a request with this fingerprint; throws IdempotencyConflictError for a
   * key bound to another body, IdempotencyKeyInFlightError while an identical request holds it.
   *
   * The key is the message's clientId, which a socket `send` may have used already (no body was
   * recorded for it then): such a key is bound for good to a fingerprint no body has, so that
   * the other message never passes for this request's answer (redteam: replay with other content
   * through another door). A key that names a stored message is bound to this body only if a
   * request with it settled it so.
   */
  async claim(userId: string, key: string, print: string): Promise<ClaimedKey> {
    const now = Date.now();
    const claim = {
      now: new Date(now).toISOString(),
      abandonedBefore: new Date(now - IDEMPOTENCY_LEASE_MS).toISOString(),
    };
    const stored = Boolean(await this.messages.findByClientId(userId, key));
    if (stored) {
      // A free binding (released, abandoned) of a stored message cannot tell whose it is: it goes too.
      const hold = randomUUID();
      const other = await this.store.claim(userId, key, SENT_BY_ANOTHER_DOOR, { ...claim, hold });
      if (other.status !== 'conflict') {
        if (other.status === 'new') await this.store.settle(userId, key, hold, { stored: true });
        throw sentElsewhere(key);
      }
    }
    const hold = randomUUID();
    const outcome = await this.store.claim(userId, key, print, { ...claim, hold });
    // An identical request holds the key and its message is stored: it got as far as the commit,
    // and is settling or died before it could (a crash, a settle that failed). Its message is the
    // answer either way; telling the retry to wait would last until the lease runs out.
    if (stored && outcome.status === 'in-flight') return { userId, key };
    return { userId, key, ...answer(outcome, key, hold) };
  }

  /**
   * The post was answered: the key stays bound to this body. A message stored before under the
   * key while this request held it (`duplicate`) is someone else's, sent through another door:
   * the key is bound to neither body, and this request is refused.
   */
  async answered(claimed: ClaimedKey, outcome: PostOutcome): Promise<void> {
    const { key, hold } = claimed;
    if (hold === undefined) return;
    if (!outcome.swallowed && outcome.duplicate) {
      await this.settle(claimed, hold, { stored: true, boundTo: SENT_BY_ANOTHER_DOOR });
      throw sentElsewhere(key);
    }
    // The answer stands even if this write fails: the binding stays held until the lease runs
    // out (a replay meanwhile is told to retry), then the key is refused as one naming a message.
    await this.settle(
      claimed,
      hold,
      outcome.swallowed ? { stored: false, replies: outcome.replies } : { stored: true },
    );
  }

  /**
   * The post failed with `error` (which the caller throws). A message it stored before failing
   * (a fan-out or an ack that broke after the commit) keeps the key bound to this body, so the
   * retry is answered with it; otherwise this request lets go of the key. A refusal (a ChatError
   * the client can act on: muted, too long, not a member) comes before the commit, so a message
   * under the key then is someone else's (a socket `send` meanwhile) and binds nothing.
   */
  async failed(claimed: ClaimedKey, error: unknown): Promise<void> {
    const { userId, key, hold } = claimed;
    if (hold === undefined) return;
    try {
      if (!isRefusal(error) && (await this.messages.findByClientId(userId, key))) {
        await this.store.settle(userId, key, hold, { stored: true });
      } else {
        await this.store.release(userId, key, hold);
      }
    } catch (error) {
      // A store that cannot take this write now leaves the hold to the lease.
      this.logger.error(error);
    }
  }

  /**
   * Deletes one bounded batch of bindings nobody needs any more; resolves with how many. The
   * timer calls it again at once while batches come back full (see {@link pruneQuietly}).
   */
  prune(now = Date.now()): Promise<number> {
    return this.store.prune(
      {
        abandonedBefore: new Date(now - IDEMPOTENCY_LEASE_MS).toISOString(),
        settledBefore: new Date(now - IDEMPOTENCY_RETENTION_MS).toISOString(),
      },
      PRUNE_BATCH,
    );
  }

  /**
   * Batches until one comes back short, each in its own turn of the event loop: a service posting
   * faster than one batch a minute, or the backlog of an upgrade, is worked off instead of growing.
   */
  private async pruneQuietly(): Promise<void> {
    if (this.pruning) return;
    this.pruning = true;
    try {
      while ((await this.prune()) >= PRUNE_BATCH && !this.stopped) await yieldTurn();
    } catch (error) {
      this.logger.warn(`pruning Idempotency-Keys failed, retried in a minute: ${String(error)}`);
    } finally {
      this.pruning = false;
    }
  }

  private async settle(
    { userId, key }: ClaimedKey,
    hold: string,
    outcome: IdempotencyOutcome,
  ): Promise<void> {
    await this.store.settle(userId, key, hold, outcome).catch((error: unknown) => this.logger.error(error));
  }
}

/** How often each instance prunes bindings. */
const PRUNE_EVERY_MS = 60_000;
/** Bindings deleted per statement at most, so that none holds the write lock for long. */
const PRUNE_BATCH = 1000;

const yieldTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/** An error the client can act on, raised before anything is stored (not a store failure). */
function isRefusal(error: unknown): boolean {
  return error instanceof ChatError && !(error instanceof UnavailableError);
}

function answer(
  claim: IdempotencyClaim,
  key: string,
  hold: string,
): { hold?: string; replies?: readonly string[] } {
  switch (claim.status) {
    case 'new':
      return { hold };
    case 'in-flight':
      throw new IdempotencyKeyInFlightError(
        `a request with this Idempotency-Key ("${key}") is still in progress; retry after it completes`,
      );
    case 'conflict':
      throw conflict(key, claim.inFlight);
    case 'same':
      return claim.replies === undefined ? {} : { replies: claim.replies };
  }
}

function conflict(key: string, inFlight: boolean): IdempotencyConflictError {
  return new IdempotencyConflictError(
    inFlight
      ? `Idempotency-Key "${key}" is held by a request with another body (room, text, replyTo, threadId or asUser differ) that is not answered yet: if it fails, the key is free again; else use a new key for a new message`
      : `Idempotency-Key "${key}" was used before with another request (room, text, replyTo, threadId or asUser differ): use a new key for a new message`,
  );
}

function sentElsewhere(key: string): IdempotencyConflictError {
  return new IdempotencyConflictError(
    `Idempotency-Key "${key}" names a message sent otherwise (as a WebSocket clientId, or by a request more than ${IDEMPOTENCY_RETENTION_MS / 3600_000} h ago): use a new key for a new message`,
  );
}
