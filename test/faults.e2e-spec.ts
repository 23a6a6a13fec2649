import { afterAll, afterEach, beforeAll, beforeEach, expect, it } from '@jest/globals';
import pg from 'pg';
import request from 'supertest';
import { register } from './utils/accounts.js';
import { Bystander, describeBystander } from './utils/bystander.js';
import { createTestDatabase, postgresAvailability, type TestDatabase } from './utils/postgres.js';
import { describeWithService } from './utils/services.js';
import { startApp, type TestApp } from './utils/start-app.js';
import { TcpProxy } from './utils/tcp-proxy.js';
import { TestClient } from './utils/test-client.js';

const postgres = await postgresAvailability();

describeWithService('the database becomes unreachable', postgres, () => {
  let database: TestDatabase;
  let proxy: TcpProxy;
  let server: TestApp;

  beforeAll(async () => {
    database = await createTestDatabase();
    const url = new URL(database.url);
    proxy = new TcpProxy(url.hostname, Number(url.port || 5432));
    await proxy.start();
    url.host = `127.0.0.1:${proxy.port}`;
    server = await startApp({ DATABASE_URL: url.toString() });
  });
  afterAll(async () => {
    await server?.close();
    await proxy?.stop();
    await database?.drop();
  });

  it('should refuse sends with `unavailable` (never ack them), say not ready, and recover by itself', async () => {
    const health = () => request(server.baseUrl).get('/readyz');
    expect((await health()).status).toBe(200);
    const { token } = await register(server.baseUrl);
    const client = await TestClient.joined(server.wsUrl, 'general', { token });
    client.send('send', { room: 'general', text: 'before', clientId: 'before' });
    const before = await client.next('ack');

    await proxy.stop();
    client.send('send', { room: 'general', text: 'during the outage', clientId: 'outage' });
    const error = await client.next('error', undefined, 15_000);
    expect(error).toMatchObject({ code: 'unavailable', event: 'send', clientId: 'outage' });
    expect(client.pending('ack')).toEqual([]);
    const notReady = await health();
    expect(notReady.status).toBe(503);
    expect(notReady.body).toMatchObject({ status: 'error', error: { database: { status: 'down' } } });
    // The connection itself is fine: what does not need the database still works.
    client.send('ping', { t: 1 });
    await client.next('pong');

    await proxy.start();
    // The client retries with the same clientId (the SPA's outbox does this by itself).
    client.send('send', { room: 'general', text: 'during the outage', clientId: 'outage' });
    const after = await client.next('ack', undefined, 15_000);
    expect(after.seq).toBe(before.seq + 1);
    expect((await health()).status).toBe(200);

    client.send('history', { room: 'general' });
    const page = await client.next('history');
    expect(page.messages.map((m) => m.clientId)).toEqual(['before', 'outage']);
    await client.close();
  });
});

/** Retries a send with the same clientId, as a client does after `unavailable`, until it is acked. */
async function sendUntilAcked(client: TestClient, clientId: string, attempts = 20) {
  const mine = (data: { clientId?: string }) => data.clientId === clientId;
  for (let attempt = 0; attempt < attempts; attempt++) {
    client.send('send', { room: 'general', text: clientId, clientId });
    // Exactly one answer comes, an ack or an error: wait for whichever it is.
    for (;;) {
      if (client.pending('ack').some((data) => mine(data as { clientId?: string }))) {
        return client.next('ack', mine);
      }
      if (client.pending('error').some((data) => mine(data as { clientId?: string }))) break;
      // TestClient's own listener came first, so the inbox has the frame when this resolves.
      await new Promise((resolve) => client.socket.once('message', resolve));
    }
    expect((await client.next('error', mine)).code).toBe('unavailable');
  }
  throw new Error(`${clientId} was never acked`);
}

describeWithService('PostgreSQL refuses or loses what the server needs', postgres, () => {
  let database: TestDatabase;
  let name: string;
  let admin: pg.Client;
  let server: TestApp;

  beforeEach(async () => {
    database = await createTestDatabase();
    const url = new URL(database.url);
    name = url.pathname.slice(1);
    url.pathname = '/postgres';
    admin = new pg.Client({ connectionString: url.toString() });
    await admin.connect();
    server = await startApp({ DATABASE_URL: database.url });
  });
  afterEach(async () => {
    await server?.close();
    await admin?.query(`ALTER DATABASE ${name} ALLOW_CONNECTIONS true`).catch(() => undefined);
    await admin?.end();
    await database?.drop();
  });

  it.each([
    {
      fault: 'a database that refuses connections (SQLSTATE 55000)',
      cause: async () => {
        await admin.query(`ALTER DATABASE ${name} ALLOW_CONNECTIONS false`);
        // Existing sessions would carry on: end them, so every query needs a new connection.
        await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1', [
          name,
        ]);
      },
      cure: () => admin.query(`ALTER DATABASE ${name} ALLOW_CONNECTIONS true`),
    },
    {
      fault: 'a dropped table (SQLSTATE 42P01)',
      cause: () => query(database.url, 'ALTER TABLE messages RENAME TO messages_gone'),
      cure: () => query(database.url, 'ALTER TABLE messages_gone RENAME TO messages'),
    },
  ])(
    '$fault: sends get `unavailable`, /readyz 503, the retry is stored once',
    async ({ fault, cause, cure }) => {
      const { token } = await register(server.baseUrl);
      const client = await TestClient.joined(server.wsUrl, 'general', { token });
      const bystander = await Bystander.start(server.wsUrl);
      const before = await sendUntilAcked(client, 'before', 1);

      await cause();
      client.send('send', { room: 'general', text: 'during', clientId: 'during' });
      const error = await client.next('error', undefined, 15_000);
      expect(error).toMatchObject({ code: 'unavailable', event: 'send', clientId: 'during' });
      expect(client.pending('ack')).toEqual([]);
      const notReady = await request(server.baseUrl).get('/readyz');
      expect(notReady.status).toBe(503);
      expect(notReady.body).toMatchObject({ status: 'error', error: { database: { status: 'down' } } });
      await bystander.client.take('pong', 20, 20_000);

      await cure();
      const after = await sendUntilAcked(client, 'during');
      expect(after.seq).toBe(before.seq + 1);
      expect((await request(server.baseUrl).get('/readyz')).status).toBe(200);
      const report = await bystander.stop();
      console.log(describeBystander(`PostgreSQL with ${fault}`, report));
      expect(report.unanswered).toBe(0);

      client.send('history', { room: 'general' });
      expect((await client.next('history')).messages.map((m) => m.clientId)).toEqual(['before', 'during']);
      await client.close();
    },
  );
});

async function query(url: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

describeWithService('another PostgreSQL session holds a lock on the messages table', postgres, () => {
  let database: TestDatabase;
  let holder: pg.Client;
  let server: TestApp;

  beforeEach(async () => {
    database = await createTestDatabase();
    holder = new pg.Client({ connectionString: database.url });
    await holder.connect();
    // A short bound keeps the test quick; the default (10 s) behaves the same, only later.
    server = await startApp({ DATABASE_URL: database.url, STORAGE_LOCK_WAIT_MS: '1000' });
  });
  afterEach(async () => {
    await server?.close();
    await holder?.end();
    await database?.drop();
  });

  it('should refuse a send with `unavailable` after STORAGE_LOCK_WAIT_MS, say not ready, and store the retry once after the release', async () => {
    const { token } = await register(server.baseUrl);
    const client = await TestClient.joined(server.wsUrl, 'general', { token });
    const bystander = await Bystander.start(server.wsUrl);
    const before = await sendUntilAcked(client, 'before', 1);

    // What `BEGIN; LOCK TABLE messages IN ACCESS EXCLUSIVE MODE; SELECT pg_sleep(40)` in psql does.
    await holder.query('BEGIN');
    await holder.query('LOCK TABLE messages IN ACCESS EXCLUSIVE MODE');
    client.send('send', { room: 'general', text: 'during', clientId: 'during' });
    const error = await client.next('error', undefined, 15_000);
    expect(error).toMatchObject({ code: 'unavailable', event: 'send', clientId: 'during' });
    expect(client.pending('ack')).toEqual([]);
    // Reads wait no longer than writes.
    client.send('history', { room: 'general' });
    expect(await client.next('error', undefined, 15_000)).toMatchObject({
      code: 'unavailable',
      event: 'history',
    });
    // So does a join, which reads the room's latest page.
    const newcomer = await TestClient.connect(server.wsUrl);
    await newcomer.next('welcome');
    newcomer.send('join', { room: 'general' });
    expect(await newcomer.next('error', undefined, 15_000)).toMatchObject({
      code: 'unavailable',
      event: 'join',
    });
    await newcomer.close();
    const notReady = await request(server.baseUrl).get('/readyz');
    expect(notReady.status).toBe(503);
    expect(notReady.body).toMatchObject({ status: 'error', error: { database: { status: 'down' } } });
    await bystander.client.take('pong', 20, 20_000);

    await holder.query('ROLLBACK');
    const after = await sendUntilAcked(client, 'during');
    expect(after.seq).toBe(before.seq + 1);
    expect((await request(server.baseUrl).get('/readyz')).status).toBe(200);
    const report = await bystander.stop();
    console.log(describeBystander('PostgreSQL with the messages table locked (ACCESS EXCLUSIVE)', report));
    expect(report.unanswered).toBe(0);

    client.send('history', { room: 'general' });
    expect((await client.next('history')).messages.map((m) => m.clientId)).toEqual(['before', 'during']);
    await client.close();
  });

  it("should refuse a send with `unavailable` while another session holds the room's row (SELECT … FOR UPDATE), and store the retry once", async () => {
    const { token } = await register(server.baseUrl);
    const client = await TestClient.joined(server.wsUrl, 'general', { token });
    const bystander = await Bystander.start(server.wsUrl);
    const before = await sendUntilAcked(client, 'before', 1);

    await holder.query('BEGIN');
    await holder.query("SELECT * FROM rooms WHERE name = 'general' FOR UPDATE");
    client.send('send', { room: 'general', text: 'during', clientId: 'during' });
    const error = await client.next('error', undefined, 15_000);
    expect(error).toMatchObject({ code: 'unavailable', event: 'send', clientId: 'during' });
    expect(client.pending('ack')).toEqual([]);
    await bystander.client.take('pong', 20, 20_000);

    await holder.query('ROLLBACK');
    const after = await sendUntilAcked(client, 'during');
    expect(after.seq).toBe(before.seq + 1);
    const report = await bystander.stop();
    console.log(describeBystander("PostgreSQL with the room's row locked (FOR UPDATE)", report));
    expect(report.unanswered).toBe(0);

    client.send('history', { room: 'general' });
    expect((await client.next('history')).messages.map((m) => m.clientId)).toEqual(['before', 'during']);
    await client.close();
  });
});
