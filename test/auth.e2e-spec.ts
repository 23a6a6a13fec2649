import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { AuthResponseSchema, CloseCode, HttpErrorSchema, UserSchema, type User } from '@chat/contracts';
import jwt from 'jsonwebtoken';
import request from 'supertest';
import { bearer, guest, register, TEST_PASSWORD, uniqueUsername } from './utils/accounts.js';
import { startApp, type TestApp } from './utils/start-app.js';
import { createTempDir } from './utils/temp-dir.js';
import { closeAll, TestClient } from './utils/test-client.js';

const JWT_SECRET = 'test-secret-0123456789abcdef0123456789abcdef';
const OTHER_SECRET = 'another-secret-fedcba9876543210fedcba9876543210';
const COOKIE = 'chat_token';
const TOKEN_TTL_SECONDS = 3600;

const nowSeconds = () => Math.floor(Date.now() / 1000);
const claimsOf = (user: Pick<User, 'id' | 'name' | 'guest'>) => ({
  sub: user.id,
  name: user.name,
  guest: user.guest,
});
const base64url = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** The `chat_token` Set-Cookie line of a response, or undefined. */
function sessionCookie(response: request.Response): string | undefined {
  const header = response.headers['set-cookie'] as unknown as string[] | undefined;
  return header?.find((line) => line.startsWith(`${COOKIE}=`));
}

/** The attributes of a Set-Cookie line, lowercased names: {httponly: '', samesite: 'Lax', ...}. */
function cookieAttributes(line: string): Record<string, string> {
  return Object.fromEntries(
    line
      .split(';')
      .slice(1)
      .map((part) => {
        const [name = '', ...value] = part.trim().split('=');
        return [name.toLowerCase(), value.join('=')];
      }),
  );
}

/** Expects the server to refuse this connection: an `unauthorized` error frame, then close 4401. */
async function expectRefused(client: TestClient): Promise<string> {
  const error = await client.next('error');
  expect(error.code).toBe('unauthorized');
  expect((await client.closed).code).toBe(CloseCode.unauthorized);
  expect(client.pending('welcome')).toEqual([]);
  return error.message;
}

describe('authentication', () => {
  let server: TestApp;
  const clients: TestClient[] = [];
  const connect = async (options: Parameters<typeof TestClient.connect>[1]) => {
    const client = await TestClient.connect(server.wsUrl, options);
    clients.push(client);
    return client;
  };

  beforeAll(async () => {
    // More sign-ins than LOGIN_LIMIT_PER_IP allows a minute; the limits have their own suites.
    server = await startApp({
      JWT_SECRET,
      TOKEN_TTL_SECONDS: String(TOKEN_TTL_SECONDS),
      LOGIN_LIMIT_PER_IP: '0',
    });
  });
  afterEach(async () => {
    await closeAll(clients.splice(0));
  });
  afterAll(async () => {
    await server.close();
  });

  describe('over HTTP', () => {
    it('should register a user with 201, a token and an HttpOnly SameSite=Lax session cookie', async () => {
      const username = uniqueUsername('reg');
      const response = await request(server.baseUrl)
        .post('/api/auth/register')
        .send({ username, password: TEST_PASSWORD });

      expect(response.status).toBe(201);
      const body = AuthResponseSchema.parse(response.body);
      expect(body.user).toMatchObject({ name: username, guest: false });
      expect(body.token).not.toBe('');
      const cookie = sessionCookie(response);
      expect(cookie).toBeDefined();
      expect(cookie!.split(';')[0]).toBe(`${COOKIE}=${body.token}`);
      const attributes = cookieAttributes(cookie!);
      expect(attributes).toHaveProperty('httponly');
      expect(attributes.samesite?.toLowerCase()).toBe('lax');
      expect(attributes.path).toBe('/');
      // Token and cookie live for TOKEN_TTL_SECONDS.
      expect(attributes['max-age']).toBe(String(TOKEN_TTL_SECONDS));
      const claims = jwt.verify(body.token, JWT_SECRET, { algorithms: ['HS256'] }) as jwt.JwtPayload;
      expect(claims.exp! - claims.iat!).toBe(TOKEN_TTL_SECONDS);
      expect(claims).toMatchObject({ sub: body.user.id, name: username, guest: false });
    });

    it('should answer GET /api/me with the user, from the session cookie and from a Bearer token', async () => {
      const response = await request(server.baseUrl)
        .post('/api/auth/register')
        .send({ username: uniqueUsername('me'), password: TEST_PASSWORD });
      const { token, user } = AuthResponseSchema.parse(response.body);

      const byCookie = await request(server.baseUrl)
        .get('/api/me')
        .set('Cookie', sessionCookie(response)!.split(';')[0]!);
      expect(byCookie.status).toBe(200);
      expect(UserSchema.parse(byCookie.body)).toEqual(user);

      const byBearer = await request(server.baseUrl).get('/api/me').set(bearer(token));
      expect(byBearer.status).toBe(200);
      expect(byBearer.body).toEqual(user);
    });

    it('should refuse a taken username with 409 conflict, also when it differs only in case', async () => {
      const username = uniqueUsername('Taken');
      await register(server.baseUrl, username);

      for (const again of [username, username.toLowerCase(), username.toUpperCase()]) {
        const response = await request(server.baseUrl)
          .post('/api/auth/register')
          .send({ username: again, password: TEST_PASSWORD });
        expect(response.status).toBe(409);
        expect(HttpErrorSchema.parse(response.body).code).toBe('conflict');
        expect(response.body.message).toContain('taken');
        expect(sessionCookie(response)).toBeUndefined();
      }
    });

    it.each([
      ['a username that is too short', { username: 'ab', password: TEST_PASSWORD }, 'username'],
      ['a username with a space', { username: 'al ice', password: TEST_PASSWORD }, 'username'],
      ['a username that is too long', { username: 'a'.repeat(33), password: TEST_PASSWORD }, 'username'],
      ['a missing username', { password: TEST_PASSWORD }, 'username'],
      ['a password that is too short', { username: 'valid_name', password: 'short' }, 'password'],
      ['a password that is too long', { username: 'valid_name', password: 'p'.repeat(129) }, 'password'],
      ['a password that is not a string', { username: 'valid_name', password: 12345678 }, 'password'],
    ])('should refuse registering with %s with 400 naming the field', async (_, body, field) => {
      const response = await request(server.baseUrl).post('/api/auth/register').send(body);
      expect(response.status).toBe(400);
      expect(HttpErrorSchema.parse(response.body).code).toBe('bad_request');
      expect(response.body.message).toContain(`${field}:`);
      expect(sessionCookie(response)).toBeUndefined();
    });

    it('should log a registered user in, ignoring the case of the username', async () => {
      const username = uniqueUsername('Login');
      const registered = await register(server.baseUrl, username);

      const response = await request(server.baseUrl)
        .post('/api/auth/login')
        .send({ username: username.toUpperCase(), password: TEST_PASSWORD });

      expect(response.status).toBe(200);
      const body = AuthResponseSchema.parse(response.body);
      expect(body.user).toEqual(registered.user);
      expect(sessionCookie(response)?.split(';')[0]).toBe(`${COOKIE}=${body.token}`);
      const me = await request(server.baseUrl).get('/api/me').set(bearer(body.token));
      expect(me.body).toEqual(registered.user);
    });

    it('should refuse a wrong password and an unknown user with the same 401 message', async () => {
      const username = uniqueUsername('pw');
      await register(server.baseUrl, username);

      const wrongPassword = await request(server.baseUrl)
        .post('/api/auth/login')
        .send({ username, password: `${TEST_PASSWORD}!` });
      const unknownUser = await request(server.baseUrl)
        .post('/api/auth/login')
        .send({ username: uniqueUsername('nobody'), password: TEST_PASSWORD });

      for (const response of [wrongPassword, unknownUser]) {
        expect(response.status).toBe(401);
        expect(response.body).toEqual({ code: 'unauthorized', message: 'wrong username or password' });
        expect(sessionCookie(response)).toBeUndefined();
      }
    });

    it('should answer a malformed JSON body with 400 and the usual error body', async () => {
      const response = await request(server.baseUrl)
        .post('/api/auth/register')
        .set('Content-Type', 'application/json')
        .send('{"username": ');
      expect(response.status).toBe(400);
      expect(HttpErrorSchema.parse(response.body).code).toBe('bad_request');
    });

    it('should refuse a login without a password with 400', async () => {
      const response = await request(server.baseUrl).post('/api/auth/login').send({ username: 'someone' });
      expect(response.status).toBe(400);
      expect(response.body).toMatchObject({ code: 'bad_request' });
      expect(response.body.message).toContain('password');
    });

    it('should start a guest session with 200, guest: true and a session cookie', async () => {
      const response = await request(server.baseUrl).post('/api/auth/guest').send({ name: 'Gus' });

      expect(response.status).toBe(200);
      const body = AuthResponseSchema.parse(response.body);
      expect(body.user).toMatchObject({ name: 'Gus', guest: true });
      expect(sessionCookie(response)?.split(';')[0]).toBe(`${COOKIE}=${body.token}`);
      const me = await request(server.baseUrl).get('/api/me').set(bearer(body.token));
      expect(me.status).toBe(200);
      expect(me.body).toEqual(body.user);
    });

    it('should give two guests of the same name different ids', async () => {
      const first = await guest(server.baseUrl, 'Twin');
      const second = await guest(server.baseUrl, 'Twin');
      expect(first.user.id).not.toBe(second.user.id);
    });

    it.each([
      ['an empty name', ''],
      ['a name with a control character', 'bad\u0007name'],
      ['a name that is too long', 'n'.repeat(33)],
    ])('should refuse a guest with %s with 400 naming the field', async (_, name) => {
      const response = await request(server.baseUrl).post('/api/auth/guest').send({ name });
      expect(response.status).toBe(400);
      expect(response.body.code).toBe('bad_request');
      expect(response.body.message).toContain('name:');
    });

    it('should log out with 204 and clear the session cookie', async () => {
      const { token } = await register(server.baseUrl);
      const response = await request(server.baseUrl)
        .post('/api/auth/logout')
        .set('Cookie', `${COOKIE}=${token}`);

      expect(response.status).toBe(204);
      const cookie = sessionCookie(response);
      expect(cookie).toBeDefined();
      expect(cookie!.split(';')[0]).toBe(`${COOKIE}=`);
      const attributes = cookieAttributes(cookie!);
      const expires = attributes.expires === undefined ? Infinity : Date.parse(attributes.expires);
      const maxAge = attributes['max-age'] === undefined ? Infinity : Number(attributes['max-age']);
      // Either form tells the browser to drop it now.
      expect(Math.min(expires - Date.now(), maxAge)).toBeLessThanOrEqual(0);
      // Same attributes as when it was set, or browsers would keep the original.
      expect(attributes.path).toBe('/');
      expect(attributes).toHaveProperty('httponly');
      expect(attributes.samesite?.toLowerCase()).toBe('lax');
    });

    it('should answer GET /api/me without a token with 401 unauthorized', async () => {
      const response = await request(server.baseUrl).get('/api/me');
      expect(response.status).toBe(401);
      expect(HttpErrorSchema.parse(response.body).code).toBe('unauthorized');
    });

    it('should answer GET /api/me with a bad token with 401 unauthorized', async () => {
      const forged = jwt.sign(claimsOf({ id: 'user:x', name: 'Mallory', guest: false }), OTHER_SECRET);
      for (const token of ['garbage', forged]) {
        const response = await request(server.baseUrl).get('/api/me').set(bearer(token));
        expect(response.status).toBe(401);
        expect(response.body.code).toBe('unauthorized');
      }
    });
  });

  describe('over WebSocket', () => {
    it('should identify a connection by its Bearer token', async () => {
      const { token, user } = await register(server.baseUrl);
      const client = await connect({ token });
      expect((await client.next('welcome')).user).toEqual(user);
    });

    it('should read the Bearer scheme case-insensitively (RFC 7235), over HTTP and WebSocket', async () => {
      const { token, user } = await register(server.baseUrl);
      const me = await request(server.baseUrl).get('/api/me').set('Authorization', `bearer ${token}`);
      expect(me.status).toBe(200);
      expect(me.body).toEqual(user);
      // Never a silent downgrade to an anonymous guest.
      const client = await connect({ headers: { Authorization: `bearer ${token}` } });
      expect((await client.next('welcome')).user).toEqual(user);
    });

    it('should identify a connection by its session cookie, ignoring ?name=', async () => {
      const { token, user } = await register(server.baseUrl);
      const client = await connect({ headers: { Cookie: `other=1; ${COOKIE}=${token}` }, name: 'Impostor' });
      expect((await client.next('welcome')).user).toEqual(user);
    });

    it('should identify a guest connection by a guest token from POST /api/auth/guest', async () => {
      const { token, user } = await guest(server.baseUrl, 'Gwen');
      const client = await connect({ token });
      expect((await client.next('welcome')).user).toEqual(user);
    });

    it('should accept a token signed with the server’s secret (the control for the cases below)', async () => {
      // A stored account: a token for an account that does not exist is refused (see below).
      const { user } = await register(server.baseUrl);
      const token = jwt.sign({ ...claimsOf(user), exp: nowSeconds() + 60 }, JWT_SECRET, {
        algorithm: 'HS256',
      });
      const client = await connect({ token });
      expect((await client.next('welcome')).user).toEqual(user);
    });

    const victim = { id: 'user:victim', name: 'Victim', guest: false };
    it.each([
      ['a forged token (signed with another secret)', () => jwt.sign(claimsOf(victim), OTHER_SECRET)],
      [
        'an expired token',
        () => jwt.sign({ ...claimsOf(victim), exp: nowSeconds() - 60 }, JWT_SECRET, { algorithm: 'HS256' }),
      ],
      [
        'an alg: none token',
        () =>
          `${base64url({ alg: 'none', typ: 'JWT' })}.${base64url({ ...claimsOf(victim), exp: nowSeconds() + 60 })}.`,
      ],
      [
        'a token signed with the right secret but another algorithm (HS512)',
        () => jwt.sign(claimsOf(victim), JWT_SECRET, { algorithm: 'HS512' }),
      ],
      [
        'a correctly signed token without the identity claims',
        () => jwt.sign({ sub: 42 }, JWT_SECRET, { algorithm: 'HS256' }),
      ],
      ['a garbage token', () => 'not.a.jwt'],
    ])('should refuse %s with an unauthorized error and close 4401', async (_, makeToken) => {
      const client = await connect({ token: makeToken() });
      await expectRefused(client);
    });

    it.each([
      ['1e20 (never, in effect)', () => 1e20],
      ['an hour past TOKEN_TTL_SECONDS', () => nowSeconds() + TOKEN_TTL_SECONDS + 3600],
    ])('should refuse a correctly signed token of a real account whose exp is %s', async (_, exp) => {
      const { user } = await register(server.baseUrl);
      const token = jwt.sign({ ...claimsOf(user), exp: exp() }, JWT_SECRET, { algorithm: 'HS256' });
      const client = await connect({ token });
      await expectRefused(client);
    });

    it('should say that an expired session has expired', async () => {
      const token = jwt.sign({ ...claimsOf(victim), exp: nowSeconds() - 60 }, JWT_SECRET, {
        algorithm: 'HS256',
      });
      const client = await connect({ token });
      expect(await expectRefused(client)).toMatch(/expired/);
    });

    it('should refuse a bad token in the cookie too, never falling back to a guest named by ?name=', async () => {
      const forged = jwt.sign(claimsOf(victim), OTHER_SECRET);
      const client = await connect({ headers: { Cookie: `${COOKIE}=${forged}` }, name: 'Alice' });
      await expectRefused(client);
    });
  });
});

describe('authentication with ALLOW_GUESTS=false', () => {
  let server: TestApp;
  const clients: TestClient[] = [];
  const connect = async (options: Parameters<typeof TestClient.connect>[1]) => {
    const client = await TestClient.connect(server.wsUrl, options);
    clients.push(client);
    return client;
  };

  beforeAll(async () => {
    server = await startApp({ JWT_SECRET, ALLOW_GUESTS: 'false' });
  });
  afterEach(async () => {
    await closeAll(clients.splice(0));
  });
  afterAll(async () => {
    await server.close();
  });

  it('should close a connection without a token with 4401', async () => {
    const client = await connect({ name: 'Alice' });
    await expectRefused(client);
  });

  it('should refuse POST /api/auth/guest with 403 forbidden', async () => {
    const response = await request(server.baseUrl).post('/api/auth/guest').send({ name: 'Gus' });
    expect(response.status).toBe(403);
    expect(response.body.code).toBe('forbidden');
    expect(sessionCookie(response)).toBeUndefined();
  });

  it('should refuse a guest token (issued while guests were allowed) with 4401, and on HTTP with 401', async () => {
    const token = jwt.sign(claimsOf({ id: 'guest:old', name: 'Old guest', guest: true }), JWT_SECRET, {
      algorithm: 'HS256',
    });
    const client = await connect({ token });
    await expectRefused(client);
    const me = await request(server.baseUrl).get('/api/me').set(bearer(token));
    expect(me.status).toBe(401);
    expect(me.body.code).toBe('unauthorized');
  });

  it('should still let registered users in', async () => {
    const { token, user } = await register(server.baseUrl);
    const client = await connect({ token });
    expect((await client.next('welcome')).user).toEqual(user);
  });
});

describe('tokens across a restart (no JWT_SECRET: the secret is kept under DATA_DIR)', () => {
  const dataDir = createTempDir();
  const otherDir = createTempDir();
  let server: TestApp | undefined;
  const clients: TestClient[] = [];

  const stop = async () => {
    await closeAll(clients.splice(0));
    const running = server;
    server = undefined;
    await running?.close();
  };

  afterEach(stop);
  afterAll(() => {
    dataDir.remove();
    otherDir.remove();
  });

  it('should accept the same token after a restart with the same DATA_DIR, and not with another', async () => {
    server = await startApp({ DATA_DIR: dataDir.path });
    const username = uniqueUsername('restart');
    const { token, user } = await register(server.baseUrl, username);
    await stop();

    server = await startApp({ DATA_DIR: dataDir.path });
    const me = await request(server.baseUrl).get('/api/me').set(bearer(token));
    expect(me.status).toBe(200);
    expect(me.body).toEqual(user);
    const client = await TestClient.connect(server.wsUrl, { token });
    clients.push(client);
    expect((await client.next('welcome')).user).toEqual(user);
    // The account was kept as well.
    const login = await request(server.baseUrl)
      .post('/api/auth/login')
      .send({ username, password: TEST_PASSWORD });
    expect(login.status).toBe(200);
    expect(login.body.user).toEqual(user);
    await stop();

    // Another DATA_DIR means another generated secret: the token is worthless there.
    server = await startApp({ DATA_DIR: otherDir.path });
    const stranger = await TestClient.connect(server.wsUrl, { token });
    clients.push(stranger);
    await expectRefused(stranger);
  });
});
