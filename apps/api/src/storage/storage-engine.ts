import type { ApiKeyStore } from './api-key-store.js';
import type { DatabaseHandle } from './database.js';
import type { IdempotencyStore } from './idempotency-store.js';
import type { MembershipStore } from './membership-store.js';
import type { MessageSearch } from './message-search.js';
import type { MessageStore } from './message-store.js';
import type { RoomStore } from './room-store.js';
import type { UploadStore } from './upload-store.js';
import type { UserStore } from './user-store.js';
import type { WebhookStore } from './webhook-store.js';
import type { WriteHealth } from './write-health.js';

/**
 * One storage engine: every store over one database, chosen once (StorageModule) and handed
 * to everything that stores. Each adapter folder builds its own (`sqlite/sqlite-engine.ts`,
 * `postgres/postgres-engine.ts`); an embedder may pass its own to `ChatModule.forRoot({storage})`,
 * and then no database of the configuration is opened.
 */
export interface StorageEngine {
  /** Shown by /readyz (`engine`) and in logs: `sqlite`, `postgres`, or an embedder's name. */
  readonly kind: string;
  readonly messages: MessageStore;
  readonly users: UserStore;
  readonly rooms: RoomStore;
  readonly memberships: MembershipStore;
  /** Full-text search over the messages (kept in step by the message store's own writes). */
  readonly search: MessageSearch;
  readonly uploads: UploadStore;
  /** Services: API keys, the bodies behind HTTP Idempotency-Keys, webhook endpoints and cursors. */
  readonly apiKeys: ApiKeyStore;
  readonly idempotency: IdempotencyStore;
  readonly webhooks: WebhookStore;
  /** What the stores report each commit to; /readyz reads it (a full disk shows only on a write). */
  readonly writes: WriteHealth;
  /** The engine's own connection, for the fault tests; absent for an embedder's engine. */
  readonly database?: DatabaseHandle;
  /** Why a write would fail right now (locked, read-only, no schema), or null when it would not. */
  writeProblem(): Promise<string | null>;
  /** Finishes what is in flight, then lets go of the database. Called once, on shutdown. */
  close(): Promise<void>;
}

/** Nest injection token for the {@link StorageEngine}. */
export const STORAGE_ENGINE = Symbol('StorageEngine');

/**
 * Nest injection token for an engine given by the embedder (`ChatModule.forRoot({storage})`):
 * when it is provided, StorageModule uses it and opens no database of its own.
 */
export const GIVEN_STORAGE_ENGINE = Symbol('GivenStorageEngine');
