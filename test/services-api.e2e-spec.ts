import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ChatMessageSchema, CloseCode, type AuthResponse } from '@chat/contracts';
import request from 'supertest';
import { ApiKeysService } from '../apps/api/src/api-keys/api-keys.service.js';
import { bearer, register } from './utils/accounts.js';
import {
  createTestDatabase,
  describeOnEachStore,
  postgresAvailability,
  type StoreEnv,
  type TestDatabase,
} from './utils/postgres.js';
import { deleteRedisKeys, redisAvailability, SHARED_REDIS_URL, uniqueRedisPrefix } from './utils/redis.js';
import { describeWithService } from './utils/services.js';
import { NO_RATE_LIMITS, startApp, type TestApp } from './utils/start-app.js';
import { closeAll, TestClient } from './utils/test-client.js';

const postgres = await postgresAvailability();
const redis = await redisAvailability();
const cluster = {
  available: postgres.available && redis.available,
  reason: `${postgres.reason} and ${redis.reason}`,
};
const ENV = { ...NO_RATE_LIMITS, LOGIN_LIMIT_PER_IP: '0', LOGIN_LIMIT_PER_USERNAME: '0' };

async function createKey(server: TestApp, name: string, scopes: string[]): Promise<string> {
  const { key } = await server.app.get(ApiKeysService).create({ name, scopes });
  return key;
}

/** The newest messages of a room, read by a signed-in user. */
async function history(server: TestApp, room: string, token: string) {
  const page = await request(server.baseUrl).get(`/api/rooms/${room}/messages`).set(bearer(token));
  expect(page.status).toBe(200);
  return (page.body as { messages: unknown[] }).messages.map((m) => ChatMessageSchema.parse(m));
}

describeOnEachStore('the HTTP API for services', postgres, (store: string, storeEnv: StoreEnv) => {
  describe(`API keys on ${store}`, () => {
    let server: TestApp;
    let alice: AuthResponse;
    let writer: string;
    let manager: string;

    beforeAll(async () => {
      server = await startApp({ ...ENV, ...storeEnv() });
      alice = await register(server.baseUrl);
      writer = await createKey(server, `writer${randomUUID().slice(0, 6)}`, ['messages:write']);
      manager = await createKey(server, `manager${randomUUID().slice(0, 6)}`, [
        'rooms:manage',
        'members:manage',
      ]);
    });

    afterAll(async () => {
      await server?.close();
    });

    describe('POST /api/rooms/:room/messages', () => {
      it('should post as the key bot through the core, seen live by the room', async () => {
        const watcher = await TestClient.joined(server.wsUrl, 'general', { token: alice.token });
        try {
          const response = await request(server.baseUrl)
            .post('/api/rooms/general/messages')
            .set(bearer(writer))
            .send({ text: 'deploy finished' });
          expect(response.status).toBe(201);
          const { message } = response.body as {
            message: { id: string; user: { bot?: boolean; name: string } };
          };
          expect(message.user.bot).toBe(true);
          expect(message.user.name).toMatch(/^writer.*-bot$/);
          const live = await watcher.next('message', (m) => m.id === message.id);
          expect(live.text).toBe('deploy finished');
        } finally {
          await closeAll([watcher]);
        }
      });

      it('should answer a replayed Idempotency-Key with the original message, and 409 for another body', async () => {
        const key = `run-${randomUUID()}`;
        const first = await request(server.baseUrl)
          .post('/api/rooms/general/messages')
          .set({ ...bearer(writer), 'Idempotency-Key': key })
          .send({ text: 'build #1 passed' });
        expect(first.status).toBe(201);
        const again = await request(server.baseUrl)
          .post('/api/rooms/general/messages')
          .set({ ...bearer(writer), 'Idempotency-Key': key })
          .send({ text: 'build #1 passed' });
        expect(again.status).toBe(200);
        expect((again.body as { message: { id: string } }).message.id).toBe(
          (first.body as { message: { id: string } }).message.id,
        );
        const other = await request(server.baseUrl)
          .post('/api/rooms/general/messages')
          .set({ ...bearer(writer), 'Idempotency-Key': key })
          .send({ text: 'build #1 FAILED' });
        expect(other.status).toBe(409);
        expect(other.body).toMatchObject({ code: 'idempotency_conflict' });
        expect((other.body as { message: string }).message).toContain(key);
        const messages = await history(server, 'general', alice.token);
        expect(messages.filter((m) => m.clientId === key)).toHaveLength(1);
        expect(messages.some((m) => m.text === 'build #1 FAILED')).toBe(false);
      });

      it('should let a signed-in user post as themselves', async () => {
        const response = await request(server.baseUrl)
          .post('/api/rooms/general/messages')
          .set(bearer(alice.token))
          .send({ text: 'from curl' });
        expect(response.status).toBe(201);
        expect((response.body as { message: { user: { id: string } } }).message.user.id).toBe(alice.user.id);
      });

      it('should post on behalf of a member only with the as-user scope', async () => {
        const asUser = await createKey(server, `asuser${randomUUID().slice(0, 6)}`, [
          'messages:write',
          'messages:write:as-user',
        ]);
        const onBehalf = await request(server.baseUrl)
          .post('/api/rooms/general/messages')
          .set(bearer(asUser))
          .send({ text: 'sent for alice', asUser: alice.user.id });
        expect(onBehalf.status).toBe(201);
        expect((onBehalf.body as { message: { user: { id: string } } }).message.user.id).toBe(alice.user.id);

        const withoutScope = await request(server.baseUrl)
          .post('/api/rooms/general/messages')
          .set(bearer(writer))
          .send({ text: 'not allowed', asUser: alice.user.id });
        expect(withoutScope.status).toBe(403);
        expect((withoutScope.body as { message: string }).message).toContain('messages:write:as-user');

        const stranger = await request(server.baseUrl)
          .post('/api/rooms/general/messages')
          .set(bearer(asUser))
          .send({ text: 'nobody', asUser: 'no-such-user' });
        expect(stranger.status).toBe(403);
      });
    });

    describe('bad input', () => {
      const post = (token: string) =>
        request(server.baseUrl).post('/api/rooms/general/messages').set(bearer(token));

      it('should refuse a revoked key with 401 and store nothing', async () => {
        const name = `revoked${randomUUID().slice(0, 6)}`;
        const key = await createKey(server, name, ['messages:write']);
        expect((await post(key).send({ text: 'before revoke' })).status).toBe(201);
        await server.app.get(ApiKeysService).revoke(name);
        const refused = await post(key).send({ text: 'after revoke' });
        expect(refused.status).toBe(401);
        expect(refused.body).toMatchObject({ code: 'unauthorized' });
        expect((await history(server, 'general', alice.token)).some((m) => m.text === 'after revoke')).toBe(
          false,
        );
      });

      it('should refuse an unknown key with 401', async () => {
        const refused = await post(`chat_sk_${'A'.repeat(43)}`).send({ text: 'forged' });
        expect(refused.status).toBe(401);
      });

      it('should refuse a key without the route scope with 403 naming it', async () => {
        const refused = await post(manager).send({ text: 'wrong scope' });
        expect(refused.status).toBe(403);
        expect((refused.body as { message: string }).message).toContain('"messages:write"');
      });

      it('should refuse a key on a route that is not open to keys', async () => {
        // (GET /api/me/rooms was this route until the read scopes opened it to keys that read.)
        const refused = await request(server.baseUrl)
          .post('/api/dms')
          .set(bearer(writer))
          .send({ username: alice.user.name });
        expect(refused.status).toBe(403);
        expect((refused.body as { message: string }).message).toContain(
          'API keys cannot be used on this route',
        );
        const notRead = await request(server.baseUrl).get('/api/me/rooms').set(bearer(writer));
        expect(notRead.status).toBe(403);
      });

      it('should answer 413 for a body over the parser limit and 400 for malformed JSON', async () => {
        const big = await post(writer).send({ text: 'x'.repeat(200 * 1024) });
        expect(big.status).toBe(413);
        const broken = await post(writer).set('Content-Type', 'application/json').send('{"text": ');
        expect(broken.status).toBe(400);
        const extra = await post(writer).send({ text: 'hi', user: 'someone-else' });
        expect(extra.status).toBe(400);
      });

      it('should answer 413 for a text over MAX_TEXT_LENGTH', async () => {
        const long = await post(writer).send({ text: 'y'.repeat(5000) });
        expect(long.status).toBe(413);
      });

      it('should refuse a key at the WebSocket upgrade (keys are for the HTTP API)', async () => {
        const socket = await TestClient.connect(server.wsUrl, { token: writer });
        expect((await socket.closed).code).toBe(CloseCode.unauthorized);
      });

      it('should refuse users on service-only routes', async () => {
        const refused = await request(server.baseUrl)
          .post(`/api/users/${alice.user.id}/disconnect`)
          .set(bearer(alice.token));
        expect(refused.status).toBe(403);
      });
    });

    describe('rooms and members', () => {
      it('should create a room the bot owns, then add and remove a member', async () => {
        const room = `svc-${randomUUID().slice(0, 8)}`;
        const created = await request(server.baseUrl)
          .post('/api/rooms')
          .set(bearer(manager))
          .send({ name: room, kind: 'private' });
        expect(created.status).toBe(201);
        expect(created.body).toMatchObject({ name: room, role: 'owner' });
        const added = await request(server.baseUrl)
          .post(`/api/rooms/${room}/members`)
          .set(bearer(manager))
          .send({ username: alice.user.name });
        expect(added.status).toBe(201);
        const promoted = await request(server.baseUrl)
          .put(`/api/rooms/${room}/members/${alice.user.name}`)
          .set(bearer(manager))
          .send({ role: 'moderator' });
        expect(promoted.status).toBe(200);
        const removed = await request(server.baseUrl)
          .delete(`/api/rooms/${room}/members/${alice.user.name}`)
          .set(bearer(manager));
        expect(removed.status).toBe(204);
      });

      it('should apply the bot own role: no moderation in a room it does not own', async () => {
        const refused = await request(server.baseUrl)
          .post('/api/rooms/general/bans')
          .set(bearer(manager))
          .send({ username: alice.user.name });
        expect(refused.status).toBe(403);
      });
    });

    describe('POST /api/users/:id/disconnect', () => {
      it("should close that user's connections with 4403", async () => {
        const bob = await register(server.baseUrl);
        const socket = await TestClient.joined(server.wsUrl, 'general', { token: bob.token });
        const key = await createKey(server, `disc${randomUUID().slice(0, 6)}`, ['users:disconnect']);
        const response = await request(server.baseUrl)
          .post(`/api/users/${bob.user.id}/disconnect`)
          .set(bearer(key))
          .send({ reason: 'account closed' });
        expect(response.status).toBe(202);
        expect((await socket.closed).code).toBe(CloseCode.removed);
      });
    });
  });
});

describe('the API key rate limit', () => {
  let server: TestApp;

  beforeAll(async () => {
    server = await startApp({ ...ENV, API_KEY_REQUESTS_PER_MINUTE: '2' });
  });

  afterAll(async () => {
    await server?.close();
  });

  it('should answer 429 with Retry-After once a key used its minute', async () => {
    const key = await createKey(server, 'limited', ['messages:write']);
    const post = () =>
      request(server.baseUrl).post('/api/rooms/general/messages').set(bearer(key)).send({ text: 'tick' });
    expect((await post()).status).toBe(201);
    expect((await post()).status).toBe(201);
    const limited = await post();
    expect(limited.status).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    // Another key is not held back by this one.
    const other = await createKey(server, 'unlimited', ['messages:write']);
    expect(
      (
        await request(server.baseUrl)
          .post('/api/rooms/general/messages')
          .set(bearer(other))
          .send({ text: 'ok' })
      ).status,
    ).toBe(201);
  });
});

describeWithService('the API key rate limit across instances', cluster, () => {
  let database: TestDatabase;
  const prefix = uniqueRedisPrefix();
  const servers: TestApp[] = [];

  beforeAll(async () => {
    database = await createTestDatabase();
    const env = {
      ...ENV,
      DATABASE_URL: database.url,
      REDIS_URL: SHARED_REDIS_URL,
      REDIS_PREFIX: prefix,
      API_KEY_REQUESTS_PER_MINUTE: '3',
    };
    servers.push(await startApp(env), await startApp(env));
  });

  afterAll(async () => {
    for (const server of servers) await server.close();
    await database?.drop();
    await deleteRedisKeys(SHARED_REDIS_URL, prefix);
  });

  it('should count one key once across instances (in Redis)', async () => {
    const [a, b] = servers as [TestApp, TestApp];
    const key = await createKey(a, 'shared', ['messages:write']);
    const post = (server: TestApp) =>
      request(server.baseUrl).post('/api/rooms/general/messages').set(bearer(key)).send({ text: 'tick' });
    expect((await post(a)).status).toBe(201);
    expect((await post(b)).status).toBe(201);
    expect((await post(a)).status).toBe(201);
    const limited = await post(b);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
  });
});
