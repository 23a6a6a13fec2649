import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
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
