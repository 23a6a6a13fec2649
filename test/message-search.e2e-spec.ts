import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { join } from 'node:path';
import pg from 'pg';
import { openPostgresPool } from '../apps/api/src/storage/postgres/postgres-database.js';
import { PostgresMembershipStore } from '../apps/api/src/storage/postgres/postgres-membership-store.js';
import {
  PostgresMessageSearch,
  SEARCH_SQL as PG_SEARCH_SQL,
  searchValues,
} from '../apps/api/src/storage/postgres/postgres-message-search.js';
import { PostgresMessageStore } from '../apps/api/src/storage/postgres/postgres-message-store.js';
import { PostgresRoomStore } from '../apps/api/src/storage/postgres/postgres-room-store.js';
import { openSqliteDatabase } from '../apps/api/src/storage/sqlite/sqlite-database.js';
import { SqliteMembershipStore } from '../apps/api/src/storage/sqlite/sqlite-membership-store.js';
import {
  SEARCH_SQL,
  searchParameters,
  SqliteMessageSearch,
} from '../apps/api/src/storage/sqlite/sqlite-message-search.js';
import { SqliteMessageStore } from '../apps/api/src/storage/sqlite/sqlite-message-store.js';
import { SqliteRoomStore } from '../apps/api/src/storage/sqlite/sqlite-room-store.js';
import { parseSearchTerms } from '../apps/api/src/search/search-terms.js';
import { describeMessageSearchContract } from '../apps/api/src/storage/testing/message-search.contract.js';
import { postgresMigrateBefore, sqliteMigratedBefore } from './utils/migrations.js';
import { createTestDatabase, postgresAvailability, type TestDatabase } from './utils/postgres.js';
import { describeWithService } from './utils/services.js';
import { createTempDir } from './utils/temp-dir.js';

const postgres = await postgresAvailability();

const request = (q: string, viewer: string) => ({
  terms: parseSearchTerms(q),
  viewer,
  now: new Date().toISOString(),
  offset: 0,
  limit: 20,
});

describeMessageSearchContract('SqliteMessageSearch', async () => {
  const dir = createTempDir();
  const db = openSqliteDatabase(dir.path);
  const messages = new SqliteMessageStore(db);
  return {
    messages,
    search: new SqliteMessageSearch(db, 1000),
    rooms: new SqliteRoomStore(db),
    membership: new SqliteMembershipStore(db),
    backdate: (id, time) => {
      db.prepare('UPDATE messages SET created_at = ? WHERE id = ?').run(time, id);
      return Promise.resolve();
    },
    plan: (search) =>
      Promise.resolve(
        db
          .prepare<[ReturnType<typeof searchParameters>], { detail: string }>(
            `EXPLAIN QUERY PLAN ${SEARCH_SQL}`,
          )
          .all(searchParameters(search))
          .map((row) => row.detail)
          .join('\n'),
      ),
    // FTS5 answers MATCH through its xBestIndex: "VIRTUAL TABLE INDEX 0:M..." (M for MATCH).
    indexMark: /SCAN s VIRTUAL TABLE INDEX \d+:M/,
    async close() {
      await messages.close();
      db.close();
      dir.remove();
    },
  };
});

describeWithService('PostgresMessageSearch on a real server', postgres, () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => {
    await database?.drop();
  });

  describeMessageSearchContract('PostgresMessageSearch', async () => {
    const pool = await openPostgresPool(database.url);
    await pool.query(
      'TRUNCATE messages, rooms, users, room_members, room_bans, room_events, reactions CASCADE',
    );
    await pool.query("INSERT INTO rooms (name) VALUES ('general')");
    const messages = new PostgresMessageStore(pool);
    return {
      messages,
      search: new PostgresMessageSearch(pool),
      rooms: new PostgresRoomStore(pool),
      membership: new PostgresMembershipStore(pool),
      backdate: async (id, time) => {
        await pool.query('UPDATE messages SET created_at = $2 WHERE id = $1', [id, time]);
      },
      plan: async (search) => {
        const client = await pool.connect();
        try {
          // A handful of rows is cheaper to scan than any index: forbid the scan, so that the plan
          // shows whether the query can use the index at all (it cannot if its expression differs).
          await client.query('BEGIN');
          await client.query('SET LOCAL enable_seqscan = off');
          const { rows } = await client.query<{ 'QUERY PLAN': string }>(
            `EXPLAIN ${PG_SEARCH_SQL}`,
            searchValues(search),
          );
          await client.query('ROLLBACK');
          return rows.map((row) => row['QUERY PLAN']).join('\n');
        } finally {
          client.release();
        }
      },
      indexMark: /Bitmap Index Scan on message_search_vector/,
      async close() {
        await messages.close();
        await pool.end();
      },
    };
  });
});

describe('The search migration', () => {
  it('should index the messages SQLite held before it', async () => {
    const dir = createTempDir();
    try {
      const file = join(dir.path, 'chat.sqlite3');
      const old = sqliteMigratedBefore(file, 'message_search_docs');
      const insert = old.prepare(
        `INSERT INTO messages (id, room, seq, user_id, user_name, user_guest, client_id, text, created_at, deleted)
         VALUES (?, 'general', ?, 'u-alice', 'alice', 0, ?, ?, '2026-01-01T00:00:00.000Z', ?)`,
      );
      insert.run('m-1', 1, 'c1', 'an archived thought', 0);
      insert.run('m-2', 2, 'c2', '', 1);
      old.close();
      const db = openSqliteDatabase(dir.path);
      try {
        const rows = await new SqliteMessageSearch(db, 1000).search(request('archived', 'u-alice'));
        expect(rows.map((row) => row.message.id)).toEqual(['m-1']);
      } finally {
        db.close();
      }
    } finally {
      dir.remove();
    }
  });
});

describeWithService('The search migration on PostgreSQL', postgres, () => {
  it('should index the messages PostgreSQL held before it', async () => {
    const database = await createTestDatabase();
    try {
      const client = new pg.Client({ connectionString: database.url });
      await client.connect();
      try {
        await postgresMigrateBefore(client, 'CREATE TABLE message_search');
        await client.query(
          `INSERT INTO messages (id, room, seq, user_id, user_name, user_guest, client_id, text, created_at)
           VALUES ('00000000-0000-4000-8000-000000000001', 'general', 1, 'u-alice', 'alice', FALSE, 'c1',
                   'an archived thought', '2026-01-01T00:00:00.000Z')`,
        );
      } finally {
        await client.end();
      }
      const pool = await openPostgresPool(database.url);
      try {
        const rows = await new PostgresMessageSearch(pool).search(request('archived', 'u-alice'));
        expect(rows.map((row) => row.message.text)).toEqual(['an archived thought']);
      } finally {
        await pool.end();
      }
    } finally {
      await database.drop();
    }
  });
});
