import { afterAll, beforeAll } from '@jest/globals';
import { openPostgresPool } from '../apps/api/src/storage/postgres/postgres-database.js';
import { PostgresMessageStore } from '../apps/api/src/storage/postgres/postgres-message-store.js';
import { openSqliteDatabase } from '../apps/api/src/storage/sqlite/sqlite-database.js';
import { SqliteMessageStore } from '../apps/api/src/storage/sqlite/sqlite-message-store.js';
import { describeMessageStoreContract } from '../apps/api/src/storage/testing/message-store.contract.js';
import { createTestDatabase, postgresAvailability, type TestDatabase } from './utils/postgres.js';
import { describeWithService } from './utils/services.js';
import { createTempDir } from './utils/temp-dir.js';

const postgres = await postgresAvailability();

describeMessageStoreContract('SqliteMessageStore', async () => {
  // A new file per test: every test starts from an empty store.
  const dir = createTempDir();
  const db = openSqliteDatabase(dir.path);
  const store = new SqliteMessageStore(db);
  const close = store.close.bind(store);
  store.close = async () => {
    await close();
    db.close();
    dir.remove();
  };
  return store;
});

describeWithService('PostgresMessageStore on a real server', postgres, () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => {
    await database?.drop();
  });

  describeMessageStoreContract('PostgresMessageStore', async () => {
    const pool = await openPostgresPool(database.url);
    // Every test starts from empty tables (the schema stays).
    await pool.query('TRUNCATE messages, rooms, reactions, message_mentions CASCADE');
    const store = new PostgresMessageStore(pool);
    const close = store.close.bind(store);
    store.close = async () => {
      await close();
      await pool.end();
    };
    return store;
  });
});
