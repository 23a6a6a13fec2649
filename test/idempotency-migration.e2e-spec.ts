import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { AuthResponseSchema } from '@chat/contracts';
import pg from 'pg';
import request from 'supertest';
import { hashPassword } from '../apps/api/src/auth/password-hasher.js';
import { SQLITE_FILE_NAME } from '../apps/api/src/storage/sqlite/sqlite-database.js';
import { bearer, TEST_PASSWORD, uniqueUsername } from './utils/accounts.js';
import { postgresMigrateBefore, sqliteMigratedBefore } from './utils/migrations.js';
import { createTestDatabase, postgresAvailability, type TestDatabase } from './utils/postgres.js';
import { describeWithService } from './utils/services.js';
import { NO_RATE_LIMITS, startApp, type TestApp } from './utils/start-app.js';
import { createTempDir } from './utils/temp-dir.js';

const postgres = await postgresAvailability();
/** The step that stops binding failed requests' keys: the previous release stops before it. */
const STEP = 'ADD COLUMN holders';
const username = uniqueUsername('idem');
const USER_ID = 'user:idem';
/** The fingerprint the previous release kept for `{text: 'old'}` in general (http-posts.ts). */
const OLD_BODY = createHash('sha256')
  .update(JSON.stringify(['general', 'old', null, null, null]))
  .digest('hex');
const FAILED_BODY = createHash('sha256')
  .update(JSON.stringify(['general', 'x'.repeat(4001), null, null, null]))
  .digest('hex');
const BOUND_AT = '2026-01-04T00:00:00.000Z';

/**
 * Before: `kept` was answered with a stored message; `failed` was bound by a request that failed
 * (a 413), no message under it. After: `failed` works with another body, `kept` is still bound.
 */
async function expectFailuresForgotten(server: TestApp): Promise<void> {
  const login = await request(server.baseUrl)
    .post('/api/auth/login')
    .send({ username, password: TEST_PASSWORD });
  expect(login.status).toBe(200);
  const { token } = AuthResponseSchema.parse(login.body);
  const post = (key: string, text: string) =>
    request(server.baseUrl)
      .post('/api/rooms/general/messages')
      .set({ ...bearer(token), 'Idempotency-Key': key })
      .send({ text });
  expect((await post('failed', 'the corrected text')).status).toBe(201);
  const replay = await post('kept', 'old');
  expect(replay.status).toBe(200);
  expect((replay.body as { message: { text: string; clientId: string } }).message).toMatchObject({
    text: 'old',
    clientId: 'kept',
  });
  expect((await post('kept', 'another text')).status).toBe(409);
}

describe('idempotency migration', () => {
  it('should forget the SQLite bindings of failed requests and keep the others', async () => {
    const dir = createTempDir();
    const db = sqliteMigratedBefore(join(dir.path, SQLITE_FILE_NAME), STEP);
    db.prepare(
      'INSERT INTO users (id, username, username_key, password_hash, created_at) VALUES (?, ?, ?, ?, ?)',
    ).run(USER_ID, username, username.toLowerCase(), await hashPassword(TEST_PASSWORD), BOUND_AT);
    db.exec(`UPDATE rooms SET last_seq = 1 WHERE name = 'general'`);
    db.prepare(
      `INSERT INTO messages (id, room, seq, user_id, user_name, user_guest, client_id, text, created_at)
       VALUES ('m1', 'general', 1, ?, ?, 0, 'kept', 'old', ?)`,
    ).run(USER_ID, username, BOUND_AT);
    const binding = db.prepare(
      'INSERT INTO http_idempotency (user_id, key, fingerprint, created_at) VALUES (?, ?, ?, ?)',
    );
    binding.run(USER_ID, 'kept', OLD_BODY, BOUND_AT);
    binding.run(USER_ID, 'failed', FAILED_BODY, BOUND_AT);
    db.close();
    const server = await startApp({ ...NO_RATE_LIMITS, DATA_DIR: dir.path });
    try {
      await expectFailuresForgotten(server);
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

    it('should forget the PostgreSQL bindings of failed requests and keep the others', async () => {
      database = await createTestDatabase();
      const client = new pg.Client({ connectionString: database.url });
      await client.connect();
      try {
        await postgresMigrateBefore(client, STEP);
        await client.query(
          'INSERT INTO users (id, username, username_key, password_hash, created_at) VALUES ($1, $2, $3, $4, $5)',
          [USER_ID, username, username.toLowerCase(), await hashPassword(TEST_PASSWORD), BOUND_AT],
        );
        await client.query("UPDATE rooms SET last_seq = 1 WHERE name = 'general'");
        await client.query(
          `INSERT INTO messages (id, room, seq, user_id, user_name, user_guest, client_id, text, created_at)
           VALUES (gen_random_uuid(), 'general', 1, $1, $2, FALSE, 'kept', 'old', $3)`,
          [USER_ID, username, BOUND_AT],
        );
        const binding =
          'INSERT INTO http_idempotency (user_id, key, fingerprint, created_at) VALUES ($1, $2, $3, $4)';
        await client.query(binding, [USER_ID, 'kept', OLD_BODY, BOUND_AT]);
        await client.query(binding, [USER_ID, 'failed', FAILED_BODY, BOUND_AT]);
      } finally {
        await client.end();
      }
      const server = await startApp({ ...NO_RATE_LIMITS, DATABASE_URL: database.url });
      try {
        await expectFailuresForgotten(server);
      } finally {
        await server.close();
      }
    });
  });
});

/** The step that makes one request the holder of a key (hold_id instead of a count). */
const HOLD_STEP = 'ADD COLUMN hold_id';
const holdUser = uniqueUsername('hold');
const HOLD_USER_ID = 'user:hold';
const print = (text: string) =>
  createHash('sha256')
    .update(JSON.stringify(['general', text, null, null, null]))
    .digest('hex');

/** Pending (held, released) and swallowed bindings as the previous release left them. */
const HELD_ROWS = (claimedAt: string) => [
  { key: 'held', fingerprint: print('held'), state: 'pending', holders: 1, replies: null, claimedAt },
  { key: 'released', fingerprint: print('released'), state: 'pending', holders: 0, replies: null, claimedAt },
  {
    key: 'command',
    fingerprint: print('cmd'),
    state: 'swallowed',
    holders: 0,
    replies: '["ran"]',
    claimedAt,
  },
];

/** After: the held key is still in flight, the released one free, the command's replies kept. */
async function expectHoldsMigrated(server: TestApp): Promise<void> {
  const login = await request(server.baseUrl)
    .post('/api/auth/login')
    .send({ username: holdUser, password: TEST_PASSWORD });
  expect(login.status).toBe(200);
  const { token } = AuthResponseSchema.parse(login.body);
  const post = (key: string, text: string) =>
    request(server.baseUrl)
      .post('/api/rooms/general/messages')
      .set({ ...bearer(token), 'Idempotency-Key': key })
      .send({ text });
  const held = await post('held', 'held');
  expect(held.status).toBe(409);
  expect(held.headers['retry-after']).toBe('1');
  expect((await post('released', 'another text')).status).toBe(201);
  const command = await post('command', 'cmd');
  expect(command.status).toBe(202);
  expect(command.body).toEqual({ replies: ['ran'] });
}

describe('idempotency hold migration', () => {
  it('should keep the SQLite bindings held, free and settled as they were', async () => {
    const dir = createTempDir();
    const db = sqliteMigratedBefore(join(dir.path, SQLITE_FILE_NAME), HOLD_STEP);
    db.prepare(
      'INSERT INTO users (id, username, username_key, password_hash, created_at) VALUES (?, ?, ?, ?, ?)',
    ).run(HOLD_USER_ID, holdUser, holdUser.toLowerCase(), await hashPassword(TEST_PASSWORD), BOUND_AT);
    const binding = db.prepare(
      `INSERT INTO http_idempotency (user_id, key, fingerprint, created_at, state, holders, claimed_at, replies)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const now = new Date().toISOString();
    for (const row of HELD_ROWS(now)) {
      binding.run(
        HOLD_USER_ID,
        row.key,
        row.fingerprint,
        now,
        row.state,
        row.holders,
        row.claimedAt,
        row.replies,
      );
    }
    db.close();
    const server = await startApp({ ...NO_RATE_LIMITS, DATA_DIR: dir.path });
    try {
      await expectHoldsMigrated(server);
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

    it('should keep the PostgreSQL bindings held, free and settled as they were', async () => {
      database = await createTestDatabase();
      const client = new pg.Client({ connectionString: database.url });
      await client.connect();
      try {
        await postgresMigrateBefore(client, HOLD_STEP);
        await client.query(
          'INSERT INTO users (id, username, username_key, password_hash, created_at) VALUES ($1, $2, $3, $4, $5)',
          [HOLD_USER_ID, holdUser, holdUser.toLowerCase(), await hashPassword(TEST_PASSWORD), BOUND_AT],
        );
        const now = new Date().toISOString();
        for (const row of HELD_ROWS(now)) {
          await client.query(
            `INSERT INTO http_idempotency (user_id, key, fingerprint, created_at, state, holders, claimed_at, replies)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
            [HOLD_USER_ID, row.key, row.fingerprint, now, row.state, row.holders, row.claimedAt, row.replies],
          );
        }
      } finally {
        await client.end();
      }
      const server = await startApp({ ...NO_RATE_LIMITS, DATABASE_URL: database.url });
      try {
        await expectHoldsMigrated(server);
      } finally {
        await server.close();
      }
    });
  });
});
