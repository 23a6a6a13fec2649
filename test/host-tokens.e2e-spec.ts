import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { CloseCode, UserSchema } from '@chat/contracts';
import request from 'supertest';
import { ChatIdentity } from '../apps/api/src/auth/chat-identity.js';
import { loadConfig } from '../apps/api/src/config/load-config.js';
import { bearer, register } from './utils/accounts.js';
import {
  HOST_AUDIENCE,
  HOST_ISSUER,
  hostKey,
  JwksServer,
  signHostToken,
  type HostKey,
} from './utils/host-issuer.js';
import { describeOnEachStore, postgresAvailability } from './utils/postgres.js';
import { startApp, type TestApp } from './utils/start-app.js';
import { closeAll, TestClient } from './utils/test-client.js';

const JWT_SECRET = 'host-tokens-chat-secret-0123456789abcdef012345';
const SHARED_SECRET = 'host-tokens-shared-secret-9876543210fedcba98765';
const HOST = { AUTH_ISSUER: HOST_ISSUER, AUTH_AUDIENCE: HOST_AUDIENCE, JWT_SECRET };
const postgres = await postgresAvailability();

let serial = 0;
/** A `sub` of the host app no other test uses. */
const subject = (prefix: string) => `${prefix}-${process.pid}-${++serial}`;

/** The WebSocket refuses the token: an `unauthorized` error frame saying `why`, then close 4401. */
async function expectWsRefused(app: TestApp, token: string, why: RegExp): Promise<void> {
  const client = await TestClient.connect(app.wsUrl, { token });
  const error = await client.next('error');
  expect(error.code).toBe('unauthorized');
  expect(error.message).toMatch(why);
  expect((await client.closed).code).toBe(CloseCode.unauthorized);
  expect(client.pending('welcome')).toEqual([]);
}

/** HTTP refuses the token the same way: 401 `unauthorized`. */
async function expectHttpRefused(app: TestApp, token: string, why: RegExp): Promise<void> {
  const response = await request(app.baseUrl).get('/api/me').set(bearer(token));
  expect(response.status).toBe(401);
  expect(response.body.code).toBe('unauthorized');
  expect(response.body.message).toMatch(why);
}

async function expectRefusedEverywhere(app: TestApp, token: string, why: RegExp): Promise<void> {
  await expectHttpRefused(app, token, why);
  await expectWsRefused(app, token, why);
}

/** An unsigned token (`alg: none`) with the claims of a valid one. */
function unsignedToken(sub: string): string {
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const now = Math.floor(Date.now() / 1000);
  const claims = { sub, name: 'Mallory', iss: HOST_ISSUER, aud: HOST_AUDIENCE, iat: now, exp: now + 600 };
  return `${part({ alg: 'none', typ: 'JWT' })}.${part(claims)}.`;
}

/** HS256 "signed" with the host's public key: the algorithm confusion a naive verifier falls for. */
function publicKeyConfusionToken(key: HostKey, sub: string): string {
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const now = Math.floor(Date.now() / 1000);
  const claims = { sub, name: 'Mallory', iss: HOST_ISSUER, aud: HOST_AUDIENCE, iat: now, exp: now + 600 };
  const input = `${part({ alg: 'HS256', kid: key.kid })}.${part(claims)}`;
  return `${input}.${createHmac('sha256', key.publicPem).update(input).digest('base64url')}`;
}

describeOnEachStore('host tokens from a JWKS', postgres, (store, storeEnv) => {
  describe(`host tokens from a JWKS (${store})`, () => {
    let first: HostKey;
    let jwks: JwksServer;
    let app: TestApp;

    beforeAll(async () => {
      first = await hostKey('key-1');
      jwks = await JwksServer.start([first]);
      // No cooldown between fetches: the rotation test fetches twice within a second.
      app = await startApp({ ...HOST, AUTH_JWKS_URL: jwks.url, AUTH_JWKS_COOLDOWN_MS: '0', ...storeEnv() });
    });

    afterAll(async () => {
      await app?.close();
      await jwks?.close();
    });

    it('should accept a host token over HTTP (Bearer and cookie) and WebSocket, as the user host:<sub>', async () => {
      const sub = subject('alice');
      const token = await signHostToken(first, { sub, name: 'Alice', roles: ['staff'] });
      const expected = { id: `host:${sub}`, name: 'Alice', guest: false };

      const byBearer = await request(app.baseUrl).get('/api/me').set(bearer(token));
      expect(byBearer.status).toBe(200);
      expect(UserSchema.parse(byBearer.body)).toEqual(expected);
      const byCookie = await request(app.baseUrl).get('/api/me').set('Cookie', `chat_token=${token}`);
      expect(byCookie.status).toBe(200);
      expect(byCookie.body).toEqual(expected);

      const client = await TestClient.connect(app.wsUrl, { token });
      try {
        expect((await client.next('welcome')).user).toEqual(expected);
      } finally {
        await client.close();
      }
    });

    it('should store a host user on first sight: a member of general who posts, renamed by a later token', async () => {
      const sub = subject('bob');
      const bob = await TestClient.joined(app.wsUrl, 'general', {
        token: await signHostToken(first, { sub, preferred_username: 'bob' }),
      });
      const renamed = await TestClient.joined(app.wsUrl, 'general', {
        token: await signHostToken(first, { sub, name: 'Bob Builder' }),
      });
      try {
        const rooms = await request(app.baseUrl)
          .get('/api/me/rooms')
          .set(bearer(await signHostToken(first, { sub, name: 'Bob Builder' })));
        expect(rooms.status).toBe(200);
        expect(JSON.stringify(rooms.body)).toContain('"general"');

        renamed.send('send', { room: 'general', text: 'hello from the host app', clientId: `c-${sub}` });
        const message = await bob.next('message', (m) => m.text === 'hello from the host app');
        expect(message.user).toEqual({ id: `host:${sub}`, name: 'Bob Builder', guest: false });
      } finally {
        await closeAll([bob, renamed]);
      }
    });

    it("should keep the chat's own accounts working alongside host users", async () => {
      const own = await register(app.baseUrl);
      const me = await request(app.baseUrl).get('/api/me').set(bearer(own.token));
      expect(me.status).toBe(200);
      expect(me.body.id).toBe(own.user.id);
      expect(own.user.id.startsWith('host:')).toBe(false);
    });

    it('should fetch the JWKS again for a new kid, and refuse the old kid once it is removed', async () => {
      const second = await hostKey('key-2', 'ES256');
      const sub = subject('carol');
      const before = jwks.fetches;
      jwks.keys = [first, second];
      const rotated = await signHostToken(second, { sub, name: 'Carol' });
      const me = await request(app.baseUrl).get('/api/me').set(bearer(rotated));
      expect(me.status).toBe(200);
      expect(jwks.fetches).toBeGreaterThan(before);

      const third = await hostKey('key-3');
      jwks.keys = [second, third];
      // key-3 is unknown: fetching for it also drops key-1 from the cache.
      const newest = await signHostToken(third, { sub, name: 'Carol' });
      expect((await request(app.baseUrl).get('/api/me').set(bearer(newest))).status).toBe(200);
      await expectRefusedEverywhere(
        app,
        await signHostToken(first, { sub, name: 'Carol' }),
        /unknown signing key/,
      );
      jwks.keys = [first, second, third];
    });

    it('should refuse a wrong audience with WebSocket close 4401 and HTTP 401', async () => {
      const token = await signHostToken(
        first,
        { sub: subject('dave'), name: 'Dave' },
        { audience: 'billing' },
      );
      await expectRefusedEverywhere(app, token, /aud/);
    });

    it('should refuse a wrong issuer', async () => {
      const token = await signHostToken(
        first,
        { sub: subject('erin'), name: 'Erin' },
        { issuer: 'https://evil.example/' },
      );
      await expectRefusedEverywhere(app, token, /iss/);
    });

    it('should refuse an expired token, and one without exp', async () => {
      const sub = subject('frank');
      await expectRefusedEverywhere(
        app,
        await signHostToken(first, { sub, name: 'Frank' }, { expiresIn: -3600 }),
        /expired/,
      );
      await expectRefusedEverywhere(
        app,
        await signHostToken(first, { sub, name: 'Frank' }, { expiresIn: null }),
        /exp is missing/,
      );
    });

    it('should refuse alg none, HS256 signed with the public key, and a forged signature', async () => {
      const sub = subject('mallory');
      await expectRefusedEverywhere(app, unsignedToken(sub), /algorithm/);
      await expectRefusedEverywhere(app, publicKeyConfusionToken(first, sub), /algorithm/);
      const attacker = await hostKey('attacker');
      // The attacker's own key, under the real key's kid.
      const forged = await signHostToken(attacker, { sub, name: 'Mallory' }, { kid: first.kid });
      await expectRefusedEverywhere(app, forged, /signature/);
    });

    it('should refuse a token whose claims do not map (no name, a bad roles claim)', async () => {
      await expectRefusedEverywhere(app, await signHostToken(first, { sub: subject('nameless') }), /name/);
      await expectRefusedEverywhere(
        app,
        await signHostToken(first, { sub: subject('roles'), name: 'R', roles: 'admin' }),
        /roles/,
      );
    });

    it('should revoke on sign-out: the token is refused and its connection closed; a later token works', async () => {
      const sub = subject('grace');
      const token = await signHostToken(first, { sub, name: 'Grace' });
      const open = await TestClient.joined(app.wsUrl, 'general', { token });
      const logout = await request(app.baseUrl).post('/api/auth/logout').set(bearer(token));
      expect(logout.status).toBe(204);

      const closing = await open.next('error', (e) => e.code === 'unauthorized', 10_000);
      expect(closing.message).toMatch(/signed out/);
      expect((await open.closed).code).toBe(CloseCode.unauthorized);
      await expectRefusedEverywhere(app, token, /signed out/);

      // Tokens issued from the next second on are the user's new sign-in.
      const later = await signHostToken(
        first,
        { sub, name: 'Grace' },
        { issuedAt: Math.floor(Date.now() / 1000) + 1 },
      );
      const me = await request(app.baseUrl).get('/api/me').set(bearer(later));
      expect(me.status).toBe(200);
    });

    it('should revoke through ChatIdentity.revokeUser, the service call for the host app', async () => {
      const sub = subject('heidi');
      const token = await signHostToken(first, { sub, name: 'Heidi' });
      expect((await request(app.baseUrl).get('/api/me').set(bearer(token))).status).toBe(200);
      await app.app.get(ChatIdentity).revokeUser(`host:${sub}`);
      await expectRefusedEverywhere(app, token, /signed out/);
    });
  });
});

describe('host tokens with a shared secret (HS256) and a configured cookie', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startApp({ ...HOST, AUTH_SHARED_SECRET: SHARED_SECRET, AUTH_COOKIE_NAME: 'host_session' });
  });

  afterAll(async () => {
    await app?.close();
  });

  it('should accept a token signed with AUTH_SHARED_SECRET, from the AUTH_COOKIE_NAME cookie too', async () => {
    const sub = subject('ivan');
    const token = await signHostToken({ secret: SHARED_SECRET }, { sub, name: 'Ivan' });
    const me = await request(app.baseUrl).get('/api/me').set('Cookie', `host_session=${token}`);
    expect(me.status).toBe(200);
    expect(me.body.id).toBe(`host:${sub}`);
    const client = await TestClient.connect(app.wsUrl, { headers: { Cookie: `host_session=${token}` } });
    try {
      expect((await client.next('welcome')).user.id).toBe(`host:${sub}`);
    } finally {
      await client.close();
    }
  });

  it('should refuse a token signed with another secret', async () => {
    const token = await signHostToken(
      { secret: `${SHARED_SECRET}-not` },
      { sub: subject('judy'), name: 'Judy' },
    );
    await expectRefusedEverywhere(app, token, /signature/);
  });

  it('should map guest: true to a guest that is not stored', async () => {
    const sub = subject('kim');
    const token = await signHostToken({ secret: SHARED_SECRET }, { sub, name: 'Kim', guest: true });
    const me = await request(app.baseUrl).get('/api/me').set(bearer(token));
    expect(me.body).toEqual({ id: `host-guest:${sub}`, name: 'Kim', guest: true });
  });
});

describe('host tokens with a PEM public key (ES256), without local accounts', () => {
  let key: HostKey;
  let app: TestApp;

  beforeAll(async () => {
    key = await hostKey('pem', 'ES256');
    app = await startApp({
      ...HOST,
      // One line, as an environment variable often has to be.
      AUTH_PUBLIC_KEY: key.publicPem.replace(/\n/g, '\\n'),
      AUTH_LOCAL_ACCOUNTS: 'false',
    });
  });

  afterAll(async () => {
    await app?.close();
  });

  it('should accept a token signed with the matching private key, and refuse another key', async () => {
    const sub = subject('leo');
    const token = await signHostToken(key, { sub, name: 'Leo', bot: true });
    const me = await request(app.baseUrl).get('/api/me').set(bearer(token));
    expect(me.status).toBe(200);
    expect(me.body).toEqual({ id: `host:${sub}`, name: 'Leo', guest: false, bot: true });
    const other = await hostKey('pem', 'ES256');
    await expectRefusedEverywhere(app, await signHostToken(other, { sub, name: 'Leo' }), /signature/);
  });

  it("should refuse the chat's own register and login with AUTH_LOCAL_ACCOUNTS=false", async () => {
    const registered = await request(app.baseUrl)
      .post('/api/auth/register')
      .send({ username: 'localuser', password: 'correct horse battery' });
    expect(registered.status).toBe(403);
    const login = await request(app.baseUrl)
      .post('/api/auth/login')
      .send({ username: 'localuser', password: 'correct horse battery' });
    expect(login.status).toBe(403);
  });
});

describe('host token configuration', () => {
  it('should refuse a key source without AUTH_ISSUER and AUTH_AUDIENCE', () => {
    expect(() => loadConfig({ AUTH_SHARED_SECRET: SHARED_SECRET })).toThrow(/AUTH_ISSUER\/AUTH_AUDIENCE/);
  });

  it('should refuse two key sources at once', () => {
    expect(() =>
      loadConfig({ ...HOST, AUTH_SHARED_SECRET: SHARED_SECRET, AUTH_JWKS_URL: 'https://id.example/jwks' }),
    ).toThrow(/more than one/);
  });

  it('should not echo the shared secret in its error', () => {
    expect(() => loadConfig({ ...HOST, AUTH_SHARED_SECRET: 'short-secret' })).toThrow(/<hidden>/);
  });
});
