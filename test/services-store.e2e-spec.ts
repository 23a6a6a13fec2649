import { afterAll, beforeAll } from '@jest/globals';
import { openPostgresPool } from '../apps/api/src/storage/postgres/postgres-database.js';
import { PostgresApiKeyStore } from '../apps/api/src/storage/postgres/postgres-api-key-store.js';
import { PostgresIdempotencyStore } from '../apps/api/src/storage/postgres/postgres-idempotency-store.js';
import { PostgresMessageStore } from '../apps/api/src/storage/postgres/postgres-message-store.js';
import { PostgresRoomStore } from '../apps/api/src/storage/postgres/postgres-room-store.js';
import { PostgresWebhookStore } from '../apps/api/src/storage/postgres/postgres-webhook-store.js';
import { openSqliteDatabase } from '../apps/api/src/storage/sqlite/sqlite-database.js';
import { SqliteApiKeyStore } from '../apps/api/src/storage/sqlite/sqlite-api-key-store.js';
import { SqliteIdempotencyStore } from '../apps/api/src/storage/sqlite/sqlite-idempotency-store.js';
import { SqliteMessageStore } from '../apps/api/src/storage/sqlite/sqlite-message-store.js';
import { SqliteRoomStore } from '../apps/api/src/storage/sqlite/sqlite-room-store.js';
import { SqliteWebhookStore } from '../apps/api/src/storage/sqlite/sqlite-webhook-store.js';
import { describeServicesStoreContract } from '../apps/api/src/storage/testing/services-store.contract.js';
import { createTestDatabase, postgresAvailability, type TestDatabase } from './utils/postgres.js';
import { describeWithService } from './utils/services.js';
import { createTempDir } from './utils/temp-dir.js';

const postgres = await postgresAvailability();

describeServicesStoreContract('SQLite', () => {
  const dir = createTempDir();
  const db = openSqliteDatabase(dir.path);
  const messages = new SqliteMessageStore(db);
  return Promise.resolve({
    apiKeys: new SqliteApiKeyStore(db),
    idempotency: new SqliteIdempotencyStore(db),
    webhooks: new SqliteWebhookStore(db),
    rooms: new SqliteRoomStore(db),
    messages,
    async close() {
      await messages.close();
      db.close();
      dir.remove();
    },
  });
});

describeWithService('services stores on PostgreSQL', postgres, () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => {
    await database?.drop();
  });

  describeServicesStoreContract('PostgreSQL', async () => {
    const pool = await openPostgresPool(database.url);
    // Every test starts from empty tables, general as the migrations leave it.
    await pool.query(
      'TRUNCATE messages, rooms, users, room_members, room_events, api_keys, http_idempotency, webhook_endpoints, webhook_cursors, webhook_dead_letters CASCADE',
    );
    await pool.query("INSERT INTO rooms (name) VALUES ('general')");
    const messages = new PostgresMessageStore(pool);
    return {
      apiKeys: new PostgresApiKeyStore(pool),
      idempotency: new PostgresIdempotencyStore(pool),
      webhooks: new PostgresWebhookStore(pool),
      rooms: new PostgresRoomStore(pool),
      messages,
      async close() {
        await messages.close();
        await pool.end();
      },
    };
  });
});
