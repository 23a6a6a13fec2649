import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import request from 'supertest';
import { DATABASE, type DatabaseHandle } from '../apps/api/src/storage/database.js';
import { SQLITE_FILE_NAME } from '../apps/api/src/storage/sqlite/sqlite-database.js';
import { register } from './utils/accounts.js';
import { Bystander, describeBystander } from './utils/bystander.js';
import { startApp, NO_RATE_LIMITS, type TestApp } from './utils/start-app.js';
import { createTempDir } from './utils/temp-dir.js';
import { TestClient } from './utils/test-client.js';

/** A client behind a proxy, as far as the server can tell: no /readyz details for it. */
const FROM_ELSEWHERE = { 'X-Forwarded-For': '203.0.113.7' };

/** The server's own SQLite connection, to cause a fault on it (a full disk, a read-only file). */
function serverDb(server: TestApp): Database.Database {
  const handle = server.app.get<symbol, DatabaseHandle>(DATABASE);
  if (handle.kind !== 'sqlite') throw new Error('expected the SQLite store');
  return handle.db;
}

describe('SQLite faults', () => {
  let dataDir: ReturnType<typeof createTempDir>;
  let server: TestApp;

  beforeEach(async () => {
    dataDir = createTempDir();
    server = await startApp({ DATA_DIR: dataDir.path, ...NO_RATE_LIMITS });
  });
  afterEach(async () => {
    await server?.close();
    dataDir?.remove();
  });

  describe.each([
    {
      fault: 'a full disk',
      reason: 'SQLITE_FULL',
      // No page may be added: the next message that needs one fails as on a full disk.
      cause: (db: Database.Database) =>
        db.pragma(`max_page_count = ${db.pragma('page_count', { simple: true })}`),
      cure: (db: Database.Database) => db.pragma('max_page_count = 1073741823'),
    },
    {
      fault: 'a read-only database',
      reason: 'SQLITE_READONLY',
      cause: (db: Database.Database) => db.pragma('query_only = 1'),
      cure: (db: Database.Database) => db.pragma('query_only = 0'),
    },
  ])('$fault', ({ reason, cause, cure, fault }) => {
    it('should refuse sends with `unavailable`, turn /readyz 503, and take the retry once it is fixed', async () => {
      const { token } = await register(server.baseUrl);
      const client = await TestClient.joined(server.wsUrl, 'general', { token });
      const bystander = await Bystander.start(server.wsUrl);
      client.send('send', { room: 'general', text: 'before', clientId: 'before' });
      const before = await client.next('ack');

      cause(serverDb(server));
      const text = 'x'.repeat(4000); // bigger than a page: it needs a new one
      client.send('send', { room: 'general', text, clientId: 'during' });
      const error = await client.next('error');
      expect(error).toMatchObject({
        code: 'unavailable',
        event: 'send',
        clientId: 'during',
        room: 'general',
      });
      expect(error.message).toContain(reason);
      expect(client.pending('ack')).toEqual([]);
      // Let the fault last a while (40 of the bystander's pings, about 2 s): it must not matter to it.
      await bystander.client.take('pong', 40, 20_000);

      const operator = await request(server.baseUrl).get('/readyz');
      expect(operator.status).toBe(503);
      expect(operator.body).toMatchObject({ status: 'error', error: { database: { status: 'down' } } });
      expect(JSON.stringify(operator.body)).toContain(reason);
      // Anyone else learns only that it is not ready.
      const anonymous = await request(server.baseUrl).get('/readyz').set(FROM_ELSEWHERE);
      expect(anonymous.status).toBe(503);
      expect(anonymous.body).toEqual({ status: 'error' });
      // What needs no write still works.
      client.send('history', { room: 'general' });
      expect((await client.next('history')).messages.map((m) => m.clientId)).toEqual(['before']);

      cure(serverDb(server));
      client.send('send', { room: 'general', text, clientId: 'during' });
      const after = await client.next('ack');
      expect(after.seq).toBe(before.seq + 1);
      expect((await request(server.baseUrl).get('/readyz')).status).toBe(200);

      const report = await bystander.stop();
      console.log(describeBystander(fault, report));
      expect(report.unanswered).toBe(0);
      await client.close();
    });
  });

  it('should answer a `join` of a new room with `unavailable` when the room cannot be created', async () => {
    const { token } = await register(server.baseUrl);
    const client = await TestClient.connect(server.wsUrl, { token });
    await client.next('welcome');
    serverDb(server).pragma('query_only = 1');
    client.send('join', { room: 'newroom' });
    expect(await client.next('error')).toMatchObject({ code: 'unavailable', event: 'join', room: 'newroom' });
    serverDb(server).pragma('query_only = 0');
    client.send('join', { room: 'newroom' });
    await client.next('joined');
    await client.close();
  });

  it('should answer sign-ups with 503 `unavailable`, not 500, while the database is read-only', async () => {
    serverDb(server).pragma('query_only = 1');
    const response = await request(server.baseUrl)
      .post('/api/auth/register')
      .send({ username: 'frozen_user', password: 'correct horse battery' });
    expect(response.status).toBe(503);
    expect(response.body).toMatchObject({ code: 'unavailable' });
  });
});

describe('another process holding the SQLite write lock', () => {
  let dataDir: ReturnType<typeof createTempDir>;
  let server: TestApp | undefined;
  let other: Database.Database | undefined;

  beforeEach(() => {
    dataDir = createTempDir();
  });
  afterEach(async () => {
    if (other?.inTransaction) other.exec('ROLLBACK');
    other?.close();
    await server?.close();
    dataDir.remove();
  });

  /** A second connection to the server's database file, as `sqlite3` or a backup job would open. */
  function lockDatabase(): Database.Database {
    const db = new Database(join(dataDir.path, SQLITE_FILE_NAME));
    db.exec('BEGIN IMMEDIATE');
    return db;
  }

  it('should keep serving everyone while sends wait, and ack every one of them after the lock is released', async () => {
    // A bound far above the lock's few seconds, so that a slow machine cannot turn waits into refusals.
    server = await startApp({ DATA_DIR: dataDir.path, SQLITE_LOCK_WAIT_MS: '60000', ...NO_RATE_LIMITS });
    const { token } = await register(server.baseUrl);
    const client = await TestClient.joined(server.wsUrl, 'general', { token });
    const bystander = await Bystander.start(server.wsUrl);

    other = lockDatabase();
    const clientIds = Array.from({ length: 30 }, (_, i) => `locked-${i}`);
    for (const clientId of clientIds) client.send('send', { room: 'general', text: clientId, clientId });
    // Frames are handled in order: once this pong is here, every send above is waiting to commit.
    client.send('ping', { t: 1 });
    await client.next('pong');

    // The event loop runs: probes and the bystander's pings are answered during the lock.
    expect((await request(server.baseUrl).get('/healthz')).status).toBe(200);
    const ready = await request(server.baseUrl).get('/readyz');
    expect(ready.status).toBe(503);
    expect(JSON.stringify(ready.body)).toContain('locked by another process');
    // Hold the lock for a few seconds: until the bystander has had 60 answers (about 3 s).
    await bystander.client.take('pong', 60, 30_000);
    client.send('ping', { t: 2 });
    await client.next('pong');
    expect(client.pending('ack')).toEqual([]);
    expect(client.pending('error')).toEqual([]);

    other.exec('COMMIT');
    const acks = await client.take('ack', clientIds.length, 15_000);
    expect(acks.map((ack) => ack.clientId)).toEqual(clientIds);
    expect((await request(server.baseUrl).get('/readyz')).status).toBe(200);
    const report = await bystander.stop();
    console.log(describeBystander('a 30-send wait on a SQLite lock held by another process', report));
    expect(report.unanswered).toBe(0);

    client.send('history', { room: 'general' });
    expect((await client.next('history')).messages.map((m) => m.clientId)).toEqual(clientIds);
    await client.close();
  });

  it('should not take an honest client whose sends waited on the lock for an abuser (default rate limits)', async () => {
    server = await startApp({ DATA_DIR: dataDir.path, SQLITE_LOCK_WAIT_MS: '60000' });
    const { token } = await register(server.baseUrl);
    const client = await TestClient.joined(server.wsUrl, 'general', { token });
    const bystander = await Bystander.start(server.wsUrl);

    other = lockDatabase();
    // An honest pace (about 5 a second, half of SEND_RATE_PER_SEC) for about 5 s, all waiting.
    const clientIds = Array.from({ length: 25 }, (_, i) => `paced-${i}`);
    for (const clientId of clientIds) {
      client.send('send', { room: 'general', text: clientId, clientId });
      await bystander.client.take('pong', 4, 20_000);
    }
    expect(client.pending('ack')).toEqual([]);
    other.exec('COMMIT');

    const acks = await client.take('ack', clientIds.length, 15_000);
    expect(acks.map((ack) => ack.clientId)).toEqual(clientIds);
    expect(client.pending('error')).toEqual([]);
    client.send('ping', { t: 1 });
    await client.next('pong');
    expect(client.socket.readyState).toBe(client.socket.OPEN);
    const report = await bystander.stop();
    console.log(describeBystander('paced sends waiting 5 s on a SQLite lock (default limits)', report));
    expect(report.unanswered).toBe(0);
    await client.close();
  });

  it('should refuse the sends with `unavailable` once SQLITE_LOCK_WAIT_MS has passed, and store each retry once', async () => {
    server = await startApp({ DATA_DIR: dataDir.path, SQLITE_LOCK_WAIT_MS: '200', ...NO_RATE_LIMITS });
    const { token } = await register(server.baseUrl);
    const client = await TestClient.joined(server.wsUrl, 'general', { token });
    const bystander = await Bystander.start(server.wsUrl);

    other = lockDatabase();
    const clientIds = Array.from({ length: 10 }, (_, i) => `bounded-${i}`);
    for (const clientId of clientIds) client.send('send', { room: 'general', text: clientId, clientId });
    const errors = await client.take('error', clientIds.length, 15_000);
    expect(errors.every((error) => error.code === 'unavailable' && error.event === 'send')).toBe(true);
    expect(errors.map((error) => error.clientId).sort()).toEqual([...clientIds].sort());
    expect(client.pending('ack')).toEqual([]);
    await bystander.client.take('pong', 20, 20_000);
    other.exec('COMMIT');

    // The client retries each with the same clientId; then once more, as after a lost ack.
    for (const clientId of [...clientIds, ...clientIds]) {
      client.send('send', { room: 'general', text: clientId, clientId });
    }
    const acks = await client.take('ack', clientIds.length * 2, 15_000);
    expect(acks.slice(clientIds.length)).toEqual(acks.slice(0, clientIds.length));
    const report = await bystander.stop();
    console.log(describeBystander('sends refused after a 200 ms wait on a SQLite lock', report));
    expect(report.unanswered).toBe(0);

    client.send('history', { room: 'general' });
    expect((await client.next('history')).messages.map((m) => m.clientId)).toEqual(clientIds);
    await client.close();
  });
});
