import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { redisServerAvailability, startOwnRedis, type OwnRedis } from './utils/redis.js';
import { describeWithService } from './utils/services.js';
import { startApp, type TestApp } from './utils/start-app.js';

describe('health probes', () => {
  let server: TestApp;

  beforeAll(async () => {
    server = await startApp();
  });
  afterAll(async () => {
    await server.close();
  });

  it('GET /healthz should say the process is alive', async () => {
    const response = await request(server.baseUrl).get('/healthz').expect(200);
    expect(response.body).toMatchObject({ status: 'ok' });
  });

  it('GET /readyz should report the database as up', async () => {
    const response = await request(server.baseUrl).get('/readyz').expect(200);
    expect(response.body).toMatchObject({
      status: 'ok',
      info: { database: { status: 'up', engine: 'sqlite' } },
    });
  });

  it('should not be shadowed by the SPA', async () => {
    const response = await request(server.baseUrl).get('/readyz');
    expect(response.headers['content-type']).toContain('application/json');
  });
});

describe('GET /readyz details', () => {
  const TOKEN = 'operator-token-0123456789';
  /** As a request through a reverse proxy looks: from loopback, but on behalf of someone else. */
  const PROXIED = { 'X-Forwarded-For': '203.0.113.7' };
  let server: TestApp;

  beforeAll(async () => {
    server = await startApp({ METRICS_TOKEN: TOKEN });
  });
  afterAll(async () => {
    await server.close();
  });

  it('should give anyone else only the status', async () => {
    const response = await request(server.baseUrl).get('/readyz').set(PROXIED).expect(200);
    expect(response.body).toEqual({ status: 'ok' });
  });

  it('should not take a wrong token, or a client-written X-Forwarded-For: 127.0.0.1, for an operator', async () => {
    for (const headers of [
      { ...PROXIED, Authorization: 'Bearer operator-token-wrong' },
      { 'X-Forwarded-For': '127.0.0.1' },
      { Forwarded: 'for=127.0.0.1' },
    ]) {
      const response = await request(server.baseUrl).get('/readyz').set(headers).expect(200);
      expect(response.body).toEqual({ status: 'ok' });
    }
  });

  it('should give the details to a caller with METRICS_TOKEN, from anywhere', async () => {
    const response = await request(server.baseUrl)
      .get('/readyz')
      .set({ ...PROXIED, Authorization: `Bearer ${TOKEN}` })
      .expect(200);
    expect(response.body).toMatchObject({
      status: 'ok',
      info: { database: { status: 'up', engine: 'sqlite' } },
    });
  });

  it('should give the details to a caller on this machine (loopback, not through a proxy)', async () => {
    const response = await request(server.baseUrl).get('/readyz').expect(200);
    expect(response.body).toMatchObject({ info: { database: { status: 'up' } } });
  });
});

describeWithService('readiness with Redis', redisServerAvailability(), () => {
  let redis: OwnRedis;
  let server: TestApp;

  beforeAll(async () => {
    redis = await startOwnRedis();
    server = await startApp({ REDIS_URL: redis.url });
  });
  afterAll(async () => {
    await server?.close();
    await redis?.stop();
  });

  it('should report Redis up, and only degraded (still 200) while it is away', async () => {
    const ready = () => request(server.baseUrl).get('/readyz');
    const up = await ready();
    expect(up.status).toBe(200);
    expect(up.body).toMatchObject({ status: 'ok', info: { redis: { status: 'up' } } });

    await redis.stop();
    const degraded = await ready();
    expect(degraded.status).toBe(200);
    expect(degraded.body).toMatchObject({ status: 'degraded', details: { redis: { status: 'degraded' } } });

    await redis.start();
    // ioredis reconnects by itself (it retries at least every 2 s).
    for (let i = 0; i < 100 && (await ready()).body.status !== 'ok'; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect((await ready()).body).toMatchObject({ status: 'ok', info: { redis: { status: 'up' } } });
  });
});
