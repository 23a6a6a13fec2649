import { afterAll, beforeAll } from '@jest/globals';
import { openPostgresPool } from '../apps/api/src/storage/postgres/postgres-database.js';
import { PostgresMembershipStore } from '../apps/api/src/storage/postgres/postgres-membership-store.js';
import { PostgresMessageStore } from '../apps/api/src/storage/postgres/postgres-message-store.js';
import { PostgresRoomStore } from '../apps/api/src/storage/postgres/postgres-room-store.js';
import { PostgresUserStore } from '../apps/api/src/storage/postgres/postgres-user-store.js';
import { openSqliteDatabase } from '../apps/api/src/storage/sqlite/sqlite-database.js';
import { SqliteMembershipStore } from '../apps/api/src/storage/sqlite/sqlite-membership-store.js';
import { SqliteMessageStore } from '../apps/api/src/storage/sqlite/sqlite-message-store.js';
import { SqliteRoomStore } from '../apps/api/src/storage/sqlite/sqlite-room-store.js';
import { SqliteUserStore } from '../apps/api/src/storage/sqlite/sqlite-user-store.js';
import { describeMembershipStoreContract } from '../apps/api/src/storage/testing/membership-store.contract.js';
import { createTestDatabase, postgresAvailability, type TestDatabase } from './utils/postgres.js';
import { describeWithService } from './utils/services.js';
import { createTempDir } from './utils/temp-dir.js';

const postgres = await postgresAvailability();

describeMembershipStoreContract('SqliteMembershipStore', async () => {
  const dir = createTempDir();
  const db = openSqliteDatabase(dir.path);
  const messages = new SqliteMessageStore(db);
  return {
    membership: new SqliteMembershipStore(db),
    rooms: new SqliteRoomStore(db),
    users: new SqliteUserStore(db),
    messages,
    mention: (userId, room, seq) => {
      db.prepare('INSERT INTO message_mentions (user_id, room, seq) VALUES (?, ?, ?)').run(userId, room, seq);
      return Promise.resolve();
    },
    async close() {
      await messages.close();
      db.close();
      dir.remove();
    },
  };
});

describeWithService('PostgresMembershipStore on a real server', postgres, () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => {
    await database?.drop();
  });

  describeMembershipStoreContract('PostgresMembershipStore', async () => {
    const pool = await openPostgresPool(database.url);
    // Every test starts from empty tables, general as the migrations leave it.
    await pool.query(
      'TRUNCATE messages, rooms, users, room_members, room_bans, direct_rooms, message_mentions CASCADE',
    );
    await pool.query("INSERT INTO rooms (name) VALUES ('general')");
    const messages = new PostgresMessageStore(pool);
    return {
      membership: new PostgresMembershipStore(pool),
      rooms: new PostgresRoomStore(pool),
      users: new PostgresUserStore(pool),
      messages,
      async mention(userId, room, seq) {
        await pool.query('INSERT INTO message_mentions (user_id, room, seq) VALUES ($1, $2, $3)', [
          userId,
          room,
          seq,
        ]);
      },
      async close() {
        await messages.close();
        await pool.end();
      },
    };
  });
});
