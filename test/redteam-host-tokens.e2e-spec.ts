import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { ChatIdentity } from '../apps/api/src/auth/chat-identity.js';
import { bearer } from './utils/accounts.js';
import { HOST_AUDIENCE, HOST_ISSUER, signHostToken } from './utils/host-issuer.js';
import { startApp, type TestApp } from './utils/start-app.js';

const SHARED = { secret: 'redteam-host-shared-secret-0123456789abcdef0123' };

describe('red team: host tokens from a buggy host app', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startApp({
      AUTH_ISSUER: HOST_ISSUER,
      AUTH_AUDIENCE: HOST_AUDIENCE,
      AUTH_SHARED_SECRET: SHARED.secret,
      JWT_SECRET: 'redteam-host-chat-secret-0123456789abcdef01234567',
    });
  });
  afterAll(async () => {
    await app?.close();
  });

  it('should refuse a token issued in the future: its iat would outlive every sign-out', async () => {
    const sub = `future-${process.pid}`;
    const inAnHour = Math.floor(Date.now() / 1000) + 3600;
    const token = await signHostToken(
      SHARED,
      { sub, name: 'Future' },
      { issuedAt: inAnHour, expiresIn: 7200 },
    );
    // Revoked now, as a sign-out would: the token must not be accepted afterwards.
    await app.app.get(ChatIdentity).revokeUser(`host:${sub}`);
    const me = await request(app.baseUrl).get('/api/me').set(bearer(token));
    expect(me.status).toBe(401);
    expect(me.body.message).toMatch(/iat/);
  });

  it('should still accept a token issued a few seconds ahead (clock skew)', async () => {
    const soon = Math.floor(Date.now() / 1000) + 5;
    const token = await signHostToken(
      SHARED,
      { sub: `skew-${process.pid}`, name: 'Skew' },
      { issuedAt: soon },
    );
    expect((await request(app.baseUrl).get('/api/me').set(bearer(token))).status).toBe(200);
  });

  it('should refuse a token signed to last a century (AUTH_MAX_TOKEN_LIFETIME_SECONDS, a day by default)', async () => {
    const century = 100 * 365 * 24 * 3600;
    const token = await signHostToken(
      SHARED,
      { sub: `century-${process.pid}`, name: 'Forever' },
      { expiresIn: century },
    );
    const me = await request(app.baseUrl).get('/api/me').set(bearer(token));
    expect(me.status).toBe(401);
    expect(me.body.code).toBe('unauthorized');
    expect(me.body.message).toMatch(/AUTH_MAX_TOKEN_LIFETIME_SECONDS.*expire sooner/);
    const day = await signHostToken(
      SHARED,
      { sub: `day-${process.pid}`, name: 'Daily' },
      { expiresIn: 24 * 3600 },
    );
    expect((await request(app.baseUrl).get('/api/me').set(bearer(day))).status).toBe(200);
  });
});
