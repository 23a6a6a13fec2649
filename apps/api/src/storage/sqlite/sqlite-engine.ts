import type Database from 'better-sqlite3';
import type { StorageEngine } from '../storage-engine.js';
import { WriteHealth } from '../write-health.js';
import { SqliteApiKeyStore } from './sqlite-api-key-store.js';
import { SqliteIdempotencyStore } from './sqlite-idempotency-store.js';
import { SqliteMembershipStore } from './sqlite-membership-store.js';
import { SqliteMessageSearch } from './sqlite-message-search.js';
import { SqliteMessageStore } from './sqlite-message-store.js';
import { SqliteRoomStore } from './sqlite-room-store.js';
import { SqliteSearchIndexer } from './sqlite-search-indexer.js';
import { SqliteUploadStore } from './sqlite-upload-store.js';
import { SqliteUserStore } from './sqlite-user-store.js';
import { SqliteWebhookStore } from './sqlite-webhook-store.js';
import { sqliteWriteProblem } from './sqlite-write-probe.js';

/** The SQLite engine over an open database (openSqliteDatabase): its stores share it. */
export function sqliteEngine(db: Database.Database, lockWaitMs: number): StorageEngine {
  const writes = new WriteHealth();
  const indexer = new SqliteSearchIndexer(db, { lockWaitMs });
  const messages = new SqliteMessageStore(db, {
    lockWaitMs,
    health: writes,
    committed: () => indexer.schedule(),
  });
  // Messages queued by a run that ended before indexing them (a crash, a lock at shutdown).
  indexer.schedule();
  return {
    kind: 'sqlite',
    messages,
    users: new SqliteUserStore(db, lockWaitMs),
    rooms: new SqliteRoomStore(db, lockWaitMs),
    memberships: new SqliteMembershipStore(db, lockWaitMs),
    search: new SqliteMessageSearch(db, lockWaitMs, indexer),
    uploads: new SqliteUploadStore(db, lockWaitMs),
    apiKeys: new SqliteApiKeyStore(db, lockWaitMs),
    idempotency: new SqliteIdempotencyStore(db, lockWaitMs),
    webhooks: new SqliteWebhookStore(db, lockWaitMs),
    writes,
    database: { kind: 'sqlite', db },
    writeProblem: () => Promise.resolve(sqliteWriteProblem(db)),
    async close() {
      await messages.close();
      await indexer.close();
      db.close();
    },
  };
}
