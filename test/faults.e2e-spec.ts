import { afterAll, beforeAll, expect, it } from '@jest/globals';
import request from 'supertest';
import { register } from './utils/accounts.js';
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
