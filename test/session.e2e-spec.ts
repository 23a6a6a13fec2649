import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { SessionResponseSchema } from '@chat/contracts';
import request from 'supertest';
import { bearer, register } from './utils/accounts.js';
import { startApp, type TestApp } from './utils/start-app.js';

describe('GET /api/session', () => {
  let server: TestApp;

  beforeAll(async () => {
    server = await startApp();
  });
  afterAll(async () => {
    await server?.close();
  });

  it('should answer 200 {user: null} without a session: a first visit is no error', async () => {
    const response = await request(server.baseUrl).get('/api/session');
    expect(response.status).toBe(200);
    expect(SessionResponseSchema.parse(response.body)).toEqual({ user: null });
  });

  it('should answer 200 {user: null} for a cookie that no longer works, and drop that cookie', async () => {
    const response = await request(server.baseUrl).get('/api/session').set('Cookie', 'chat_token=garbage');
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ user: null });
    const cleared = [response.headers['set-cookie'] ?? []].flat().join('\n');
    expect(cleared).toMatch(/chat_token=;/);
  });

  it('should answer the signed-in user, by cookie and by Bearer token', async () => {
    const { token, user } = await register(server.baseUrl);
    const byCookie = await request(server.baseUrl).get('/api/session').set('Cookie', `chat_token=${token}`);
    expect(byCookie.status).toBe(200);
    expect(SessionResponseSchema.parse(byCookie.body)).toEqual({ user });
    const byBearer = await request(server.baseUrl).get('/api/session').set(bearer(token));
    expect(byBearer.body).toEqual({ user });
  });
});
