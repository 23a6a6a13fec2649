import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { CloseCode, MessagesPageSchema, type ChatMessage, type User } from '@chat/contracts';
import jwt from 'jsonwebtoken';
import request from 'supertest';
import { bearer, register, uniqueUsername } from './utils/accounts.js';
import { Bystander, describeBystander } from './utils/bystander.js';
import { NO_RATE_LIMITS, startApp, type TestApp } from './utils/start-app.js';
import { closeAll, TestClient, type ConnectOptions } from './utils/test-client.js';

const JWT_SECRET = 'identity-secret-0123456789abcdef0123456789abcdef';
const COOKIE = 'chat_token';
/** The suite runs without frame limits, so the bystander may ping often enough to sample short attacks. */
const PING_EVERY_MS = 5;
const WAVES = 5;

const claimsOf = (user: User) => ({ sub: user.id, name: user.name, guest: user.guest });

/** Expects the server to refuse this connection: an `unauthorized` error frame, then close 4401. */
async function expectRefused(client: TestClient): Promise<string> {
  const error = await client.next('error');
  expect(error.code).toBe('unauthorized');
  expect((await client.closed).code).toBe(CloseCode.unauthorized);
  expect(client.pending('welcome')).toEqual([]);
  return error.message;
}

describe('identity holds on every path', () => {
  let server: TestApp;
  const clients: TestClient[] = [];
  const connect = async (options: ConnectOptions) => {
    const client = await TestClient.connect(server.wsUrl, options);
    clients.push(client);
    return client;
  };

  /** Waves of 100 connections at once; the close code each got. */
  const storm = async (open: () => Promise<TestClient>): Promise<number[]> => {
    const codes: number[] = [];
    for (let wave = 0; wave < WAVES; wave++) {
      const attempts = await Promise.all(Array.from({ length: 100 }, open));
      clients.push(...attempts);
      codes.push(...(await Promise.all(attempts.map(async (client) => (await client.closed).code))));
    }
    return codes;
  };

  beforeAll(async () => {
    server = await startApp({ JWT_SECRET, LOGIN_LIMIT_PER_IP: '0', ...NO_RATE_LIMITS });
  });
  afterEach(async () => {
    await closeAll(clients.splice(0));
  });
  afterAll(async () => {
    await server.close();
  });

  describe('the simple protocol', () => {
    it('should post a signed-in simple client under its username, whatever name it sends', async () => {
      const victim = await register(server.baseUrl, uniqueUsername('alice'));
      const attacker = await register(server.baseUrl, uniqueUsername('mallory'));
      const watcher = await TestClient.joined(server.wsUrl, 'general', { name: 'Watcher' });
      clients.push(watcher);
      const plainWatcher = await connect({ protocols: [] });
      const bystander = await Bystander.start(server.wsUrl, PING_EVERY_MS);

      const impostor = await connect({ protocols: [], token: attacker.token });
      // Rounds below MAX_UNACKED_SENDS (256): all of them are stored, none refused as too many in flight.
      const ROUNDS = 5;
      const COUNT = 200;
      const seen: ChatMessage[] = [];
      for (let round = 0; round < ROUNDS; round++) {
        const text = (i: number) => `I am ${victim.user.name} #${round}-${i}`;
        for (let i = 0; i < COUNT; i++) {
          impostor.sendRaw(JSON.stringify({ name: victim.user.name, message: text(i) }));
        }
        seen.push(...(await watcher.take('message', COUNT, 10_000)));
        for (let i = 0; i < COUNT; i++) {
          const frame = await plainWatcher.next('simple', (f) => f.message === text(i));
          expect(frame).toMatchObject({ name: attacker.user.name, guest: false });
        }
      }
      const report = await bystander.stop();
      console.log(
        describeBystander(`${ROUNDS} x ${COUNT} simple-protocol posts naming another account`, report),
      );
      expect(report.unanswered).toBe(0);

      for (const message of seen) expect(message.user).toEqual(attacker.user);
      // And so it was stored.
      const page = await request(server.baseUrl)
        .get('/api/rooms/general/messages')
        .query({ limit: 100 })
        .set(bearer(victim.token));
      const stored = MessagesPageSchema.parse(page.body).messages.filter((m) => m.text.startsWith('I am'));
      expect(stored.length).toBeGreaterThan(0);
      for (const message of stored) expect(message.user).toEqual(attacker.user);
    });

    it('should let a guest name itself per message, and say guest: true to everyone', async () => {
      const registered = await register(server.baseUrl, uniqueUsername('bob'));
      const watcher = await TestClient.joined(server.wsUrl, 'general', { name: 'Watcher' });
      clients.push(watcher);
      const plainWatcher = await connect({ protocols: [] });
      const guest = await connect({ protocols: [] });

      guest.sendRaw(
        JSON.stringify({ name: registered.user.name, message: 'a guest using a registered name' }),
      );
      const plain = await plainWatcher.next('simple', (f) => f.message === 'a guest using a registered name');
      expect(plain).toMatchObject({ name: registered.user.name, guest: true });
      const v1 = await watcher.next('message', (m) => m.text === 'a guest using a registered name');
      expect(v1.user).toMatchObject({ name: registered.user.name, guest: true });
      expect(v1.user.id).not.toBe(registered.user.id);
    });

    it('should tell simple clients that a chat.v1 account is not a guest', async () => {
      const { token, user } = await register(server.baseUrl);
      const plainWatcher = await connect({ protocols: [] });
      const v1 = await TestClient.joined(server.wsUrl, 'general', { token });
      clients.push(v1);
      v1.send('send', { room: 'general', text: 'from an account', clientId: 'acct-1' });
      const frame = await plainWatcher.next('simple', (f) => f.message === 'from an account');
      expect(frame).toMatchObject({ name: user.name, guest: false });
    });
  });

  describe('tokens without exp', () => {
    it('should refuse a correctly signed token without exp, at the upgrade (4401) and on HTTP (401)', async () => {
      const { user } = await register(server.baseUrl);
      const forever = jwt.sign(claimsOf(user), JWT_SECRET, { algorithm: 'HS256', noTimestamp: true });
      expect(jwt.decode(forever)).not.toHaveProperty('exp');

      const me = await request(server.baseUrl).get('/api/me').set(bearer(forever));
      expect(me.status).toBe(401);
      expect(me.body.code).toBe('unauthorized');
      await expectRefused(await connect({ token: forever }));
      await expectRefused(await connect({ headers: { Cookie: `${COOKIE}=${forever}` } }));
      // The control: the same claims with an exp are accepted.
      const expiring = jwt.sign({ ...claimsOf(user), exp: Math.floor(Date.now() / 1000) + 60 }, JWT_SECRET, {
        algorithm: 'HS256',
      });
      expect((await request(server.baseUrl).get('/api/me').set(bearer(expiring))).status).toBe(200);
    });

    it('should refuse a storm of upgrades with never-expiring tokens, the bystander unharmed', async () => {
      const { user } = await register(server.baseUrl);
      const forever = jwt.sign(claimsOf(user), JWT_SECRET, { algorithm: 'HS256' });
      const bystander = await Bystander.start(server.wsUrl, PING_EVERY_MS);
      const codes = await storm(() => TestClient.connect(server.wsUrl, { token: forever }));
      const report = await bystander.stop();
      console.log(describeBystander(`${WAVES} x 100 upgrades with tokens without exp`, report));
      expect(new Set(codes)).toEqual(new Set([CloseCode.unauthorized]));
      expect(report.unanswered).toBe(0);
    });
  });

  describe('an Authorization header that is not a Bearer token', () => {
    const malformed = [
      'Basic dXNlcjpwYXNzd29yZA==',
      'Bearer',
      'Bearer ',
      'Token abc',
      'Bearer two tokens',
      'abc',
    ];

    it.each(malformed)('should refuse "%s" with 401 on HTTP, even with a valid cookie', async (header) => {
      const { token } = await register(server.baseUrl);
      const response = await request(server.baseUrl)
        .get('/api/me')
        .set('Authorization', header)
        .set('Cookie', `${COOKIE}=${token}`);
      expect(response.status).toBe(401);
      expect(response.body.message).toContain('Bearer');
    });

    it.each(malformed)('should refuse "%s" with 4401 at the upgrade, never as a guest', async (header) => {
      const client = await connect({ headers: { Authorization: header }, name: 'Would-be guest' });
      expect(await expectRefused(client)).toContain('Bearer');
    });

    it('should refuse it even next to a valid session cookie, at the upgrade', async () => {
      const { token } = await register(server.baseUrl);
      const client = await connect({
        headers: { Authorization: 'Basic Zm9vOmJhcg==', Cookie: `${COOKIE}=${token}` },
      });
      await expectRefused(client);
    });

    it('should keep the bystander served through 100 upgrades with a Basic header', async () => {
      const bystander = await Bystander.start(server.wsUrl, PING_EVERY_MS);
      const codes = await storm(() =>
        TestClient.connect(server.wsUrl, { headers: { Authorization: 'Basic Zm9vOmJhcg==' } }),
      );
      const report = await bystander.stop();
      console.log(
        describeBystander(`${WAVES} x 100 upgrades with a non-Bearer Authorization header`, report),
      );
      expect(new Set(codes)).toEqual(new Set([CloseCode.unauthorized]));
      expect(report.unanswered).toBe(0);
    });
  });
});
