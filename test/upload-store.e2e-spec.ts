import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { openPostgresPool } from '../apps/api/src/storage/postgres/postgres-database.js';
import { PostgresMessageStore } from '../apps/api/src/storage/postgres/postgres-message-store.js';
import { PostgresRoomStore } from '../apps/api/src/storage/postgres/postgres-room-store.js';
import { PostgresUploadStore } from '../apps/api/src/storage/postgres/postgres-upload-store.js';
import { openSqliteDatabase } from '../apps/api/src/storage/sqlite/sqlite-database.js';
import { SqliteMessageStore } from '../apps/api/src/storage/sqlite/sqlite-message-store.js';
import { SqliteRoomStore } from '../apps/api/src/storage/sqlite/sqlite-room-store.js';
import { SqliteUploadStore } from '../apps/api/src/storage/sqlite/sqlite-upload-store.js';
import { describeUploadStoreContract } from '../apps/api/src/storage/testing/upload-store.contract.js';
import { postgresMigrateBefore, sqliteMigratedBefore } from './utils/migrations.js';
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

/** The step that binds uploads to a room (found by its content, whatever its number). */
const MARKER = 'ALTER TABLE uploads ADD COLUMN room';
const FILE_ID = '00000000-0000-4000-8000-0000000000f1';
const LOOSE_ID = '00000000-0000-4000-8000-0000000000f2';

describe('The upload room migration', () => {
  it('should keep the files of the messages SQLite held before it, in their room', async () => {
    const dir = createTempDir();
    try {
      const old = sqliteMigratedBefore(join(dir.path, 'chat.sqlite3'), MARKER);
      old.exec(`INSERT INTO messages (id, room, seq, user_id, user_name, user_guest, client_id, text, created_at)
        VALUES ('m-1', 'general', 1, 'u-alice', 'alice', 0, 'c1', 'see', '2026-01-01T00:00:00.000Z');
        INSERT INTO uploads (id, owner_id, name, size, type, thumbnail, created_at, client_id, position) VALUES
          ('${FILE_ID}', 'u-alice', 'a.txt', 1, 'text/plain', 0, '2026-01-01T00:00:00.000Z', 'c1', 0),
          ('${LOOSE_ID}', 'u-alice', 'b.txt', 1, 'text/plain', 0, '2026-01-01T00:00:00.000Z', 'c2', 0);`);
      old.close();
      const db = openSqliteDatabase(dir.path);
      const messages = new SqliteMessageStore(db);
      try {
        const message = await messages.findByClientId('u-alice', 'c1');
        expect(message?.attachments?.map((file) => file.id)).toEqual([FILE_ID]);
        const uploads = new SqliteUploadStore(db);
        expect(await uploads.find(FILE_ID)).toMatchObject({ room: 'general', message: { id: 'm-1' } });
        // Taken by a send never stored: an orphan for the sweeper, as before.
        expect((await uploads.stale('2026-06-01T00:00:00.000Z', 10)).map((u) => u.id)).toEqual([LOOSE_ID]);
      } finally {
        await messages.close();
        db.close();
      }
    } finally {
      dir.remove();
    }
  });
});

describeWithService('The upload room migration on PostgreSQL', postgres, () => {
  it('should keep the files of the messages PostgreSQL held before it, in their room', async () => {
    const database = await createTestDatabase();
    try {
      const client = new pg.Client({ connectionString: database.url });
      await client.connect();
      try {
        await postgresMigrateBefore(client, MARKER);
        await client.query(
          `INSERT INTO messages (id, room, seq, user_id, user_name, user_guest, client_id, text, created_at)
           VALUES ('00000000-0000-4000-8000-000000000001', 'general', 1, 'u-alice', 'alice', FALSE, 'c1',
                   'see', '2026-01-01T00:00:00.000Z')`,
        );
        await client.query(
          `INSERT INTO uploads (id, owner_id, name, size, type, thumbnail, created_at, client_id, position) VALUES
             ('${FILE_ID}', 'u-alice', 'a.txt', 1, 'text/plain', FALSE, '2026-01-01T00:00:00.000Z', 'c1', 0),
             ('${LOOSE_ID}', 'u-alice', 'b.txt', 1, 'text/plain', FALSE, '2026-01-01T00:00:00.000Z', 'c2', 0)`,
        );
      } finally {
        await client.end();
      }
      const pool = await openPostgresPool(database.url);
      const messages = new PostgresMessageStore(pool);
      try {
        const message = await messages.findByClientId('u-alice', 'c1');
        expect(message?.attachments?.map((file) => file.id)).toEqual([FILE_ID]);
        const uploads = new PostgresUploadStore(pool);
        expect(await uploads.find(FILE_ID)).toMatchObject({ room: 'general' });
        expect((await uploads.stale('2026-06-01T00:00:00.000Z', 10)).map((u) => u.id)).toEqual([LOOSE_ID]);
      } finally {
        await messages.close();
        await pool.end();
      }
    } finally {
      await database.drop();
    }
  });
});
