import { afterAll, beforeAll } from '@jest/globals';
import { openPostgresPool } from '../apps/api/src/storage/postgres/postgres-database.js';
import { PostgresMessageStore } from '../apps/api/src/storage/postgres/postgres-message-store.js';
import { PostgresRoomStore } from '../apps/api/src/storage/postgres/postgres-room-store.js';
import { PostgresUploadStore } from '../apps/api/src/storage/postgres/postgres-upload-store.js';
import { openSqliteDatabase } from '../apps/api/src/storage/sqlite/sqlite-database.js';
import { SqliteMessageStore } from '../apps/api/src/storage/sqlite/sqlite-message-store.js';
import { SqliteRoomStore } from '../apps/api/src/storage/sqlite/sqlite-room-store.js';
import { SqliteUploadStore } from '../apps/api/src/storage/sqlite/sqlite-upload-store.js';
import { describeUploadStoreContract } from '../apps/api/src/storage/testing/upload-store.contract.js';
import { createTestDatabase, postgresAvailability, type TestDatabase } from './utils/postgres.js';
import { describeWithService } from './utils/services.js';
import { createTempDir } from './utils/temp-dir.js';

const postgres = await postgresAvailability();

describeUploadStoreContract('SQLite', () => {
  const dir = createTempDir();
  const db = openSqliteDatabase(dir.path);
  const messages = new SqliteMessageStore(db);
  return Promise.resolve({
    uploads: new SqliteUploadStore(db),
    rooms: new SqliteRoomStore(db),
    messages,
    async close() {
      await messages.close();
      db.close();
      dir.remove();
    },
  });
});

describeWithService('upload store on PostgreSQL', postgres, () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => {
    await database?.drop();
  });

  describeUploadStoreContract('PostgreSQL', async () => {
    const pool = await openPostgresPool(database.url);
    // Every test starts from empty tables, general as the migrations leave it.
    await pool.query('TRUNCATE uploads, messages, rooms, users, room_members, room_events CASCADE');
    await pool.query("INSERT INTO rooms (name) VALUES ('general')");
    const messages = new PostgresMessageStore(pool);
    return {
      uploads: new PostgresUploadStore(pool),
      rooms: new PostgresRoomStore(pool),
      messages,
      async close() {
        await messages.close();
        await pool.end();
      },
    };
  });
});
