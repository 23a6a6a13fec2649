import { join } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { AuthResponseSchema } from '@chat/contracts';
import pg from 'pg';
import request from 'supertest';
import { hashPassword } from '../apps/api/src/auth/password-hasher.js';
import { SQLITE_FILE_NAME } from '../apps/api/src/storage/sqlite/sqlite-database.js';
import { TEST_PASSWORD, uniqueUsername } from './utils/accounts.js';
import { membershipApi } from './utils/membership.js';
import { postgresMigrateBefore, sqliteMigratedBefore } from './utils/migrations.js';
import { createTestDatabase, postgresAvailability, type TestDatabase } from './utils/postgres.js';
import { describeWithService } from './utils/services.js';
import { startApp, type TestApp } from './utils/start-app.js';
import { createTempDir } from './utils/temp-dir.js';

const postgres = await postgresAvailability();
/** The first step of membership: the database "as the previous release left it" stops before it. */
const MEMBERSHIP_STEP = "ALTER TABLE rooms ADD COLUMN kind TEXT NOT NULL DEFAULT 'public'";
const first = uniqueUsername('first');
const second = uniqueUsername('second');

async function signIn(server: TestApp, username: string) {
  const response = await request(server.baseUrl)
    .post('/api/auth/login')
    .send({ username, password: TEST_PASSWORD });
  expect(response.status).toBe(200);
  return AuthResponseSchema.parse(response.body);
}

/**
 * Before: `first` registered first and posted twice in `design`, which `second` created; `second`
 * posted once in general. After: both are members of general (`first` its owner) and of design
 * (`second` its owner, `first` for having posted), nothing old unread.
 */
async function expectCarriedForward(server: TestApp): Promise<void> {
  const firstRooms = await membershipApi(server.baseUrl, (await signIn(server, first)).token).myRooms();
  const secondRooms = await membershipApi(server.baseUrl, (await signIn(server, second)).token).myRooms();
  expect(firstRooms.get('general')).toMatchObject({ role: 'owner', kind: 'public', unread: 0, lastSeq: 1 });
  expect(firstRooms.get('design')).toMatchObject({ role: 'member', memberCount: 2, readSeq: 2, unread: 0 });
  // (general's count also has the example modules' bot accounts, members from their creation.)
  expect(secondRooms.get('general')).toMatchObject({ role: 'member', readSeq: 1, unread: 0 });
  expect(secondRooms.get('design')).toMatchObject({ role: 'owner', kind: 'public', unread: 0 });
  // The directory counts the carried-forward members too.
  const directory = await request(server.baseUrl)
    .get('/api/rooms')
    .set({ Authorization: `Bearer ${(await signIn(server, first)).token}` });
  expect(directory.body.rooms).toContainEqual(expect.objectContaining({ name: 'design', memberCount: 2 }));
}

describe('membership migration', () => {
  it('should carry SQLite rooms, accounts and posters forward as memberships', async () => {
    const dir = createTempDir();
    const db = sqliteMigratedBefore(join(dir.path, SQLITE_FILE_NAME), MEMBERSHIP_STEP);
    const hash = await hashPassword(TEST_PASSWORD);
    const user = db.prepare(
      'INSERT INTO users (id, username, username_key, password_hash, created_at) VALUES (?, ?, ?, ?, ?)',
    );
    user.run('user:first', first, first.toLowerCase(), hash, '2026-01-01T00:00:00.000Z');
    user.run('user:second', second, second.toLowerCase(), hash, '2026-01-02T00:00:00.000Z');
    db.exec(`INSERT INTO rooms (name, last_seq, created_at, created_by) VALUES ('design', 2, '2026-01-03T00:00:00.000Z', 'user:second');
             UPDATE rooms SET last_seq = 1 WHERE name = 'general'`);
    const message = db.prepare(
      `INSERT INTO messages (id, room, seq, user_id, user_name, user_guest, client_id, text, created_at)
       VALUES (?, ?, ?, ?, ?, 0, ?, 'old', '2026-01-04T00:00:00.000Z')`,
    );
    message.run('m1', 'design', 1, 'user:first', first, 'c1');
    message.run('m2', 'design', 2, 'user:first', first, 'c2');
    message.run('m3', 'general', 1, 'user:second', second, 'c3');
    db.close();
    const server = await startApp({ DATA_DIR: dir.path });
    try {
      await expectCarriedForward(server);
    } finally {
      await server.close();
      dir.remove();
    }
  });

  describeWithService('on PostgreSQL', postgres, () => {
    let database: TestDatabase;
    afterAll(async () => {
      await database?.drop();
    });

    it('should carry PostgreSQL rooms, accounts and posters forward as memberships', async () => {
      database = await createTestDatabase();
      const client = new pg.Client({ connectionString: database.url });
      await client.connect();
      try {
        await postgresMigrateBefore(client, MEMBERSHIP_STEP);
        const hash = await hashPassword(TEST_PASSWORD);
        const user = `INSERT INTO users (id, username, username_key, password_hash, created_at) VALUES ($1, $2, $3, $4, $5)`;
        await client.query(user, ['user:first', first, first.toLowerCase(), hash, '2026-01-01T00:00:00Z']);
        await client.query(user, ['user:second', second, second.toLowerCase(), hash, '2026-01-02T00:00:00Z']);
        await client.query(
          "INSERT INTO rooms (name, last_seq, created_by) VALUES ('design', 2, 'user:second')",
        );
        await client.query("UPDATE rooms SET last_seq = 1 WHERE name = 'general'");
        const message = `INSERT INTO messages (id, room, seq, user_id, user_name, user_guest, client_id, text, created_at)
          VALUES (gen_random_uuid(), $1, $2, $3, $4, FALSE, $5, 'old', '2026-01-04T00:00:00.000Z')`;
        await client.query(message, ['design', 1, 'user:first', first, 'c1']);
        await client.query(message, ['design', 2, 'user:first', first, 'c2']);
        await client.query(message, ['general', 1, 'user:second', second, 'c3']);
      } finally {
        await client.end();
      }
      const server = await startApp({ DATABASE_URL: database.url });
      try {
        await expectCarriedForward(server);
      } finally {
        await server.close();
      }
    });
  });
});
