import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { openPostgresPool } from '../apps/api/src/storage/postgres/postgres-database.js';
import { openSqliteDatabase } from '../apps/api/src/storage/sqlite/sqlite-database.js';
import { createTestDatabase, postgresAvailability, type TestDatabase } from './utils/postgres.js';
import { describeWithService } from './utils/services.js';
import { createTempDir } from './utils/temp-dir.js';

const postgres = await postgresAvailability();

/**
 * Red team on cost (issue 14): `general` has every account as a member, and any message with an
 * `@` resolves mentions among the room's members, so that lookup (and a page of the members
 * list) must read the rows it returns, not every member. The statements are the stores' own
 * (sqlite-membership-store.ts, postgres-membership-store.ts), asked for their plan.
 */
describe('members by name on SQLite', () => {
  const dir = createTempDir();
  const db = openSqliteDatabase(dir.path);
  afterAll(() => {
    db.close();
    dir.remove();
  });
  const plan = (sql: string, ...params: unknown[]) =>
    db
      .prepare<unknown[], { detail: string }>(`EXPLAIN QUERY PLAN ${sql}`)
      .all(...params)
      .map((row) => row.detail)
      .join('\n');

  it('should resolve @mentions through an index on the lower-cased name', () => {
    expect(
      plan(
        'SELECT user_id FROM room_members WHERE room = ? AND user_guest = 0 AND lower(user_name) IN (?, ?)',
        'general',
        'bob',
        'carol',
      ),
    ).toContain('room_members_by_lower_name');
  });

  it('should page members in name order without sorting them all', () => {
    const detail = plan(
      `SELECT user_id FROM room_members
       WHERE room = @room AND (user_name > @name OR (user_name = @name AND user_id > @id))
       ORDER BY user_name, user_id LIMIT @limit`,
      { room: 'general', name: '', id: '', limit: 51 },
    );
    expect(detail).toContain('room_members_by_name');
    expect(detail).not.toContain('TEMP B-TREE');
  });
});

describeWithService('members by name on PostgreSQL', postgres, () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => {
    await database?.drop();
  });

  it('should have an index for @mentions and for members pages (the planner may use them)', async () => {
    const pool = await openPostgresPool(database.url);
    try {
      const client = await pool.connect();
      try {
        // An empty table is scanned whatever its indexes: forbid that to see which index serves.
        await client.query('SET enable_seqscan = off');
        const plan = async (sql: string, params: unknown[]) =>
          (await client.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${sql}`, params)).rows
            .map((row) => row['QUERY PLAN'])
            .join('\n');
        expect(
          await plan(
            'SELECT user_id FROM room_members WHERE room = $1 AND NOT user_guest AND lower(user_name) = ANY($2::text[])',
            ['general', ['bob', 'carol']],
          ),
        ).toContain('room_members_by_lower_name');
        const page = await plan(
          `SELECT user_id FROM room_members
           WHERE room = $1 AND (user_name COLLATE "C", user_id COLLATE "C") > ($2, $3)
           ORDER BY user_name COLLATE "C", user_id COLLATE "C" LIMIT $4`,
          ['general', '', '', 51],
        );
        expect(page).toContain('room_members_by_name');
        expect(page).not.toContain('Sort');
      } finally {
        client.release();
      }
    } finally {
      await pool.end();
    }
  });
});
