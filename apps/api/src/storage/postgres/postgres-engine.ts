import type pg from 'pg';
import type { StorageEngine } from '../storage-engine.js';
import { WriteHealth } from '../write-health.js';
import { PostgresApiKeyStore } from './postgres-api-key-store.js';
import { PostgresIdempotencyStore } from './postgres-idempotency-store.js';
import { PostgresMembershipStore } from './postgres-membership-store.js';
import { PostgresMessageSearch } from './postgres-message-search.js';
import { PostgresMessageStore } from './postgres-message-store.js';
import { PostgresRoomStore } from './postgres-room-store.js';
import { PostgresUploadStore } from './postgres-upload-store.js';
import { PostgresUserStore } from './postgres-user-store.js';
import { PostgresWebhookStore } from './postgres-webhook-store.js';
import { postgresWriteProblem } from './postgres-write-probe.js';

/** The PostgreSQL engine over an open pool (openPostgresPool): its stores share it. */
export function postgresEngine(pool: pg.Pool): StorageEngine {
  const writes = new WriteHealth();
  const messages = new PostgresMessageStore(pool, writes);
  return {
    kind: 'postgres',
    messages,
    users: new PostgresUserStore(pool),
    rooms: new PostgresRoomStore(pool),
    memberships: new PostgresMembershipStore(pool),
    search: new PostgresMessageSearch(pool),
    uploads: new PostgresUploadStore(pool),
    apiKeys: new PostgresApiKeyStore(pool),
    idempotency: new PostgresIdempotencyStore(pool),
    webhooks: new PostgresWebhookStore(pool),
    writes,
    database: { kind: 'postgres', pool },
    writeProblem: () => postgresWriteProblem(pool),
    async close() {
      await messages.close();
      await pool.end();
    },
  };
}
