import type { DeadLetter, WebhookEventType } from '@chat/contracts';

export interface StoredWebhookEndpoint {
  id: string;
  url: string;
  /** `whsec_...`: needed to sign, so kept as is (protect the database as you protect the keys). */
  secret: string;
  /** Empty: every event type. */
  events: WebhookEventType[];
  enabled: boolean;
  createdAt: string;
}

/** One endpoint's progress through one room's log, leased to one dispatcher at a time. */
export interface ClaimedCursor {
  endpoint: StoredWebhookEndpoint;
  room: string;
  /** Every entry up to this seq was delivered (or skipped by the filter, or dead-lettered). */
  seq: number;
  /** The room's newest seq when claimed. */
  lastSeq: number;
  /** Failed attempts at the entry after `seq`. */
  attempts: number;
  /** The body built at the first attempt at `pendingSeq`: retries send the same bytes. */
  pendingSeq: number | null;
  pendingBody: string | null;
}

/** A dead letter being retried, leased to one dispatcher. */
export interface ClaimedLetter {
  id: string;
  endpoint: StoredWebhookEndpoint;
  webhookId: string;
  body: string;
  attempts: number;
}

export interface NewDeadLetter {
  id: string;
  seq: number;
  webhookId: string;
  type: WebhookEventType;
  body: string;
  attempts: number;
  lastError: string;
}

/**
 * The port for webhooks: endpoints, delivery cursors (the room log is the outbox) and dead
 * letters. A claim leases rows to `owner` until `leaseUntil`; every later write names the owner
 * and does nothing once the lease passed to another dispatcher.
 */
export interface WebhookStore {
  /** Stores the endpoint; its cursors start at each existing room's newest seq (no history is sent). */
  addEndpoint(endpoint: StoredWebhookEndpoint): Promise<void>;
  listEndpoints(): Promise<StoredWebhookEndpoint[]>;
  /** Removes the endpoint with its cursors and dead letters; false when there is none. */
  removeEndpoint(id: string): Promise<boolean>;
  /**
   * Up to `limit` cursors with undelivered entries, due now and not leased (rooms new since the
   * endpoint was added get a cursor at 0 first), leased to `owner`.
   */
  claimCursors(owner: string, now: number, leaseUntil: number, limit: number): Promise<ClaimedCursor[]>;
  /** Moves the cursor to `seq` (delivered or skipped), resets its attempts, keeps the lease. */
  advance(endpointId: string, room: string, owner: string, seq: number): Promise<boolean>;
  /**
   * A failed attempt at `pendingSeq`: moves the cursor to just before it (what came before was
   * delivered or filtered out), counts it, keeps the body, waits until `nextAttemptAt`, releases.
   */
  failed(
    endpointId: string,
    room: string,
    owner: string,
    failure: {
      attempts: number;
      nextAttemptAt: number;
      pendingSeq: number;
      pendingBody: string;
      error: string;
    },
  ): Promise<void>;
  /** Lets go of the lease (nothing left to send, or shutting down). */
  release(endpointId: string, room: string, owner: string): Promise<void>;
  /** Gives up on the entry after the cursor: stores the dead letter and moves past it, in one transaction. */
  deadLetter(
    endpointId: string,
    room: string,
    owner: string,
    letter: NewDeadLetter,
    createdAt: string,
  ): Promise<boolean>;
  listDeadLetters(limit: number): Promise<DeadLetter[]>;
  /** Queues a dead letter for another round of attempts; false when there is none. */
  retryDeadLetter(id: string, now: number): Promise<boolean>;
  claimRetries(owner: string, now: number, leaseUntil: number, limit: number): Promise<ClaimedLetter[]>;
  /** A retried dead letter was accepted: it is gone. */
  letterDelivered(id: string, owner: string): Promise<void>;
  /** A retried dead letter failed again: wait, or back to `dead` when `dead` is true. */
  letterFailed(
    id: string,
    owner: string,
    failure: { attempts: number; nextAttemptAt: number; error: string; dead: boolean },
  ): Promise<void>;
}

export const WEBHOOK_STORE = Symbol('WebhookStore');
