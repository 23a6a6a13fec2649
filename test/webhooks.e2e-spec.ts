import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from '@jest/globals';
import {
  ChatMessageSchema,
  MemberEventSchema,
  MessageDeletedSchema,
  MessageEditedSchema,
  ReactionEventSchema,
  type WebhookEventType,
} from '@chat/contracts';
import pg from 'pg';
import { Webhook } from 'standardwebhooks';
import request from 'supertest';
import { ApiKeysService } from '../apps/api/src/api-keys/api-keys.service.js';
import { MetricsService } from '../apps/api/src/metrics/metrics.service.js';
import { WebhooksService } from '../apps/api/src/webhooks/webhooks.service.js';
import { bearer, register } from './utils/accounts.js';
import { createTestDatabase, postgresAvailability } from './utils/postgres.js';
import { describeWithService } from './utils/services.js';
import { NO_RATE_LIMITS, startApp, type TestApp } from './utils/start-app.js';
import { createTempDir } from './utils/temp-dir.js';
import { closeAll, TestClient } from './utils/test-client.js';
import { eventually, WebhookReceiver, type Answer } from './utils/webhook-receiver.js';

const postgres = await postgresAvailability();

/** Tiny backoff and a fast poll: the retries of a test take milliseconds. */
const ENV = {
  ...NO_RATE_LIMITS,
  LOGIN_LIMIT_PER_IP: '0',
  LOGIN_LIMIT_PER_USERNAME: '0',
  WEBHOOK_ALLOW_PRIVATE: 'true',
  WEBHOOK_POLL_MS: '50',
  WEBHOOK_BACKOFF_BASE_MS: '20',
  WEBHOOK_BACKOFF_MAX_MS: '40',
  WEBHOOK_TIMEOUT_MS: '2000',
};

/** Storage that outlives one app (a restart, a second instance), removed after the test. */
interface Storage {
  env: Record<string, string>;
  drop(): Promise<void>;
}

const STORES: {
  name: string;
  available: { available: boolean; reason: string };
  open(): Promise<Storage>;
}[] = [
  {
    name: 'SQLite',
    available: { available: true, reason: 'SQLite' },
    open: () => {
      const dir = createTempDir();
      return Promise.resolve({ env: { DATA_DIR: dir.path }, drop: () => Promise.resolve(dir.remove()) });
    },
  },
  {
    name: 'PostgreSQL',
    available: postgres,
    open: async () => {
      const database = await createTestDatabase();
      return { env: { DATABASE_URL: database.url }, drop: () => database.drop() };
    },
  },
];

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function storage(store: (typeof STORES)[number]): Promise<Storage> {
  const opened = await store.open();
  cleanups.push(() => opened.drop());
  return opened;
}

async function app(env: Record<string, string>): Promise<TestApp> {
  const server = await startApp({ ...ENV, ...env });
  cleanups.push(() => server.close());
  return server;
}

async function receiver(answer?: Answer): Promise<WebhookReceiver> {
  const started = await WebhookReceiver.start(answer);
  cleanups.push(() => started.close());
  return started;
}

async function endpoint(server: TestApp, url: string, events?: WebhookEventType[]) {
  return server.app.get(WebhooksService).add({ url, ...(events && { events }) });
}

async function poster(
  server: TestApp,
): Promise<(text: string, room?: string) => Promise<{ id: string; seq: number }>> {
  const { key } = await server.app
    .get(ApiKeysService)
    .create({ name: `poster${randomUUID().slice(0, 6)}`, scopes: ['messages:write'] });
  return async (text, room = 'general') => {
    const response = await request(server.baseUrl)
      .post(`/api/rooms/${room}/messages`)
      .set(bearer(key))
      .send({ text });
    expect(response.status).toBe(201);
    return (response.body as { message: { id: string; seq: number } }).message;
  };
}

for (const store of STORES) {
  describeWithService(`webhooks on ${store.name}`, store.available, () => {
    it('should retry a failing receiver with the same webhook-id and a signature that verifies', async () => {
      const { env } = await storage(store);
      const server = await app(env);
      // Fails the first two attempts at every event, then accepts.
      const hook = await receiver(({ attempt }) => (attempt <= 2 ? 500 : 204));
      const { secret } = await endpoint(server, hook.url);
      const post = await poster(server);
      const message = await post('release 1.2 is out');
      await hook.until((all) => all.some((r) => r.body.type === 'message.created' && r.answer === 204));
      const attempts = hook.received.filter((r) => (r.body.data as { id?: string }).id === message.id);
      expect(attempts.map((r) => r.answer)).toEqual([500, 500, 204]);
      expect(new Set(attempts.map((r) => r.id)).size).toBe(1);
      for (const attempt of attempts) {
        expect(() =>
          new Webhook(secret).verify(attempt.raw, {
            'webhook-id': attempt.id,
            'webhook-timestamp': attempt.timestamp,
            'webhook-signature': attempt.signature,
          }),
        ).not.toThrow();
        expect(attempt.raw).toBe(attempts[0]!.raw);
      }
      const counted = () =>
        server.app.get(MetricsService).registry.getSingleMetricAsString('chat_webhooks_total');
      // The receiver has answered; the dispatcher counts once it has read that answer.
      await eventually(
        async () => (await counted()).includes('{outcome="delivered"} 1'),
        'the delivery count',
      );
      expect(await counted()).toContain('chat_webhooks_total{outcome="failed"} 2');
      expect(attempts[0]!.body).toMatchObject({
        type: 'message.created',
        data: { id: message.id, text: 'release 1.2 is out' },
      });
      // And a forged body does not verify with that secret.
      expect(() =>
        new Webhook(secret).verify(attempts[0]!.raw.replace('1.2', '6.6'), {
          'webhook-id': attempts[0]!.id,
          'webhook-timestamp': attempts[0]!.timestamp,
          'webhook-signature': attempts[0]!.signature,
        }),
      ).toThrow();
    });

    it('should deliver messages and changes in seq order per room', async () => {
      const { env } = await storage(store);
      const server = await app(env);
      // Fails now and then, so that retries must keep the order.
      const hook = await receiver(({ attempt, body }) =>
        (body.data as { seq: number }).seq % 3 === 0 && attempt === 1 ? 503 : 200,
      );
      await endpoint(server, hook.url, ['message.created', 'message.edited']);
      const alice = await register(server.baseUrl);
      const client = await TestClient.joined(server.wsUrl, 'general', { token: alice.token });
      try {
        const ids: string[] = [];
        for (let i = 0; i < 12; i++) {
          client.send('send', { room: 'general', text: `m${i}`, clientId: `c${i}` });
          ids.push((await client.next('ack', (a) => a.clientId === `c${i}`)).id);
        }
        client.send('edit', { room: 'general', id: ids[0]!, text: 'm0 edited', clientId: 'e0' });
        await client.next('ack', (a) => a.clientId === 'e0');
        await hook.until((all) => all.some((r) => r.body.type === 'message.edited' && r.answer === 200));
        const delivered = hook.accepted();
        const seqs = delivered.map((r) => (r.body.data as { seq: number }).seq);
        expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
        expect(
          delivered
            .filter((r) => r.body.type === 'message.created')
            .map((r) => (r.body.data as { id: string }).id),
        ).toEqual(ids);
        expect(delivered.at(-1)!.body).toMatchObject({
          type: 'message.edited',
          data: { id: ids[0], text: 'm0 edited' },
        });
        expect(new Set(delivered.map((r) => r.id)).size).toBe(delivered.length);
      } finally {
        await closeAll([client]);
      }
    });

    it('should deliver every kind of event with the WebSocket event shapes', async () => {
      const { env } = await storage(store);
      const server = await app(env);
      const hook = await receiver(() => 200);
      await endpoint(server, hook.url);
      const alice = await register(server.baseUrl);
      const bob = await register(server.baseUrl);
      const client = await TestClient.joined(server.wsUrl, 'general', { token: alice.token });
      try {
        client.send('send', { room: 'general', text: 'hello', clientId: 'k1' });
        const { id } = await client.next('ack', (a) => a.clientId === 'k1');
        client.send('edit', { room: 'general', id, text: 'hello!', clientId: 'k2' });
        await client.next('ack', (a) => a.clientId === 'k2');
        client.send('react', { room: 'general', id, emoji: '👍', on: true, clientId: 'k3' });
        await client.next('ack', (a) => a.clientId === 'k3');
        client.send('delete', { room: 'general', id, clientId: 'k4' });
        await client.next('ack', (a) => a.clientId === 'k4');
      } finally {
        await closeAll([client]);
      }
      const room = `team-${randomUUID().slice(0, 8)}`;
      expect(
        (
          await request(server.baseUrl)
            .post('/api/rooms')
            .set(bearer(alice.token))
            .send({ name: room, kind: 'private' })
        ).status,
      ).toBe(201);
      expect(
        (
          await request(server.baseUrl)
            .post(`/api/rooms/${room}/members`)
            .set(bearer(alice.token))
            .send({ username: bob.user.name })
        ).status,
      ).toBe(201);
      await hook.until((all) =>
        all.some(
          (r) =>
            r.body.type === 'member' && (r.body.data as { user: { id: string } }).user.id === bob.user.id,
        ),
      );
      await hook.until((all) => all.some((r) => r.body.type === 'message.deleted'));
      const general = hook.received.filter((r) => (r.body.data as { room: string }).room === 'general');
      expect(general.map((r) => r.body.type)).toEqual([
        'message.created',
        'message.edited',
        'reaction',
        'message.deleted',
      ]);
      const [created, edited, reaction, deleted] = general.map((r) => r.body);
      // The message as it was when first sent: depending on timing, already edited or deleted.
      expect(ChatMessageSchema.parse(created!.data).id).toBe(MessageEditedSchema.parse(edited!.data).id);
      expect(MessageEditedSchema.parse(edited!.data)).toMatchObject({ text: 'hello!' });
      expect(edited!.timestamp).toBe((edited!.data as { editedAt: string }).editedAt);
      expect(ReactionEventSchema.parse(reaction!.data)).toMatchObject({ emoji: '👍', on: true, count: 1 });
      expect(MessageDeletedSchema.parse(deleted!.data).by.id).toBe(alice.user.id);
      const member = hook.received.find(
        (r) => r.body.type === 'member' && (r.body.data as { room: string }).room === room,
      );
      expect(MemberEventSchema.parse(member!.body.data)).toMatchObject({ room });
    });

    it('should still deliver after a restart in the middle of the retries', async () => {
      const { env } = await storage(store);
      let accepting = false;
      const hook = await receiver(() => (accepting ? 200 : 500));
      const first = await startApp({ ...ENV, ...env });
      let message: { id: string };
      try {
        await endpoint(first, hook.url, ['message.created']);
        message = await (await poster(first))('survives a restart');
        await hook.until((all) => all.length >= 1);
      } finally {
        await first.close();
      }
      const failedId = hook.received[0]!.id;
      accepting = true;
      await app(env);
      await hook.until((all) => all.some((r) => r.answer === 200));
      const accepted = hook.accepted();
      expect(accepted).toHaveLength(1);
      expect(accepted[0]!.id).toBe(failedId);
      expect((accepted[0]!.body.data as { id: string }).id).toBe(message.id);
    });

    it('should keep acknowledging sends while a receiver never answers', async () => {
      const { env } = await storage(store);
      const server = await app({ ...env, WEBHOOK_TIMEOUT_MS: '60000', WEBHOOK_CONCURRENCY: '2' });
      const hook = await receiver(() => 'hang');
      await endpoint(server, hook.url);
      const alice = await register(server.baseUrl);
      const client = await TestClient.joined(server.wsUrl, 'general', { token: alice.token });
      try {
        client.send('send', { room: 'general', text: 'first', clientId: 'h0' });
        await client.next('ack', (a) => a.clientId === 'h0');
        // The receiver holds the first delivery open (it is never going to answer)...
        await hook.until((all) => all.length >= 1);
        // ...and every send after it is still acknowledged.
        for (let i = 1; i <= 30; i++)
          client.send('send', { room: 'general', text: `m${i}`, clientId: `h${i}` });
        for (let i = 1; i <= 30; i++) await client.next('ack', (a) => a.clientId === `h${i}`);
        expect(hook.received).toHaveLength(1);
      } finally {
        await closeAll([client]);
      }
    });

    it('should give up after WEBHOOK_MAX_ATTEMPTS into a dead letter, move on, and retry it on request', async () => {
      const { env } = await storage(store);
      const server = await app({ ...env, WEBHOOK_MAX_ATTEMPTS: '3' });
      let failing = true;
      const hook = await receiver(() => (failing ? 500 : 200));
      await endpoint(server, hook.url, ['message.created']);
      const post = await poster(server);
      const doomed = await post('nobody will take this');
      const webhooks = server.app.get(WebhooksService);
      await eventually(async () => (await webhooks.deadLetters()).length === 1, 'the dead letter');
      const [letter] = await webhooks.deadLetters();
      expect(letter).toMatchObject({
        seq: doomed.seq,
        attempts: 3,
        state: 'dead',
        type: 'message.created',
        lastError: 'answered 500',
      });
      expect(hook.received.filter((r) => r.id === letter!.webhookId)).toHaveLength(3);
      // The room's stream moved past it: the next message is delivered.
      failing = false;
      const next = await post('this one arrives');
      await hook.until((all) =>
        all.some((r) => r.answer === 200 && (r.body.data as { id: string }).id === next.id),
      );
      // Retried by request (the HTTP API here; the CLI calls the same service).
      const { key } = await server.app
        .get(ApiKeysService)
        .create({ name: 'ops', scopes: ['webhooks:manage'] });
      const listed = await request(server.baseUrl).get('/api/webhooks/dead-letters').set(bearer(key));
      expect(listed.status).toBe(200);
      expect((listed.body as { deadLetters: { id: string }[] }).deadLetters.map((l) => l.id)).toEqual([
        letter!.id,
      ]);
      const retried = await request(server.baseUrl)
        .post(`/api/webhooks/dead-letters/${letter!.id}/retry`)
        .set(bearer(key));
      expect(retried.status).toBe(202);
      await hook.until((all) => all.some((r) => r.id === letter!.webhookId && r.answer === 200));
      await eventually(async () => (await webhooks.deadLetters()).length === 0, 'the dead letter to go');
    });
  });
}

describeWithService('webhooks with two instances on PostgreSQL', postgres, () => {
  it('should send each event once, by one of the instances', async () => {
    const { env } = await storage(STORES[1]!);
    const [a, b] = [await app(env), await app(env)];
    const hook = await receiver(() => 200);
    await endpoint(a, hook.url, ['message.created']);
    const [postA, postB] = [await poster(a), await poster(b)];
    const ids: string[] = [];
    for (let i = 0; i < 40; i++) ids.push((await (i % 2 === 0 ? postA : postB)(`n${i}`)).id);
    await hook.until(
      (all) => new Set(all.map((r) => (r.body.data as { id: string }).id)).size === ids.length,
      20_000,
    );
    // Settled: every cursor is at its room's end and no lease is held, so nothing more is on its way.
    const db = new pg.Client({ connectionString: env.DATABASE_URL });
    await db.connect();
    try {
      await eventually(async () => {
        const { rows } = await db.query<{ busy: string }>(
          `SELECT count(*) AS busy FROM webhook_cursors c JOIN rooms r ON r.name = c.room
           WHERE c.seq < r.last_seq OR c.lease_owner IS NOT NULL`,
        );
        return rows[0]!.busy === '0';
      }, 'the dispatchers to settle');
    } finally {
      await db.end();
    }
    const counts = new Map<string, number>();
    for (const r of hook.received) counts.set(r.id, (counts.get(r.id) ?? 0) + 1);
    expect([...counts.values()].every((n) => n === 1)).toBe(true);
    expect(hook.received.filter((r) => r.body.type === 'message.created')).toHaveLength(ids.length);
  });
});

describe('webhooks to private addresses', () => {
  it('should refuse to connect to a name that resolves to a private address, at delivery too', async () => {
    const { env } = await storage(STORES[0]!);
    const hook = await receiver(() => 200);
    // Added while private addresses were allowed (or before the name pointed at one)...
    const allowing = await startApp({ ...ENV, ...env });
    try {
      await endpoint(allowing, hook.url.replace('127.0.0.1', 'localhost'), ['message.created']);
    } finally {
      await allowing.close();
    }
    // ...then delivered by a server that does not allow them.
    const server = await app({ ...env, WEBHOOK_ALLOW_PRIVATE: 'false', WEBHOOK_MAX_ATTEMPTS: '1' });
    await (
      await poster(server)
    )('for nobody on this host');
    const webhooks = server.app.get(WebhooksService);
    await eventually(async () => (await webhooks.deadLetters()).length === 1, 'the refused delivery');
    expect((await webhooks.deadLetters())[0]!.lastError).toContain('WEBHOOK_ALLOW_PRIVATE');
    expect(hook.received).toHaveLength(0);
  });
});

describe('webhook endpoints over HTTP', () => {
  it('should add, list and remove endpoints with a webhooks:manage key, and refuse bad URLs', async () => {
    const server = await app({ WEBHOOK_ALLOW_PRIVATE: 'false' });
    const { key } = await server.app
      .get(ApiKeysService)
      .create({ name: 'hooks', scopes: ['webhooks:manage'] });
    const { key: other } = await server.app
      .get(ApiKeysService)
      .create({ name: 'poster', scopes: ['messages:write'] });
    const api = () => request(server.baseUrl);
    expect(
      (await api().post('/api/webhooks').set(bearer(key)).send({ url: 'ftp://example.com/x' })).status,
    ).toBe(400);
    const ssrf = await api().post('/api/webhooks').set(bearer(key)).send({ url: 'http://127.0.0.1:9/x' });
    expect(ssrf.status).toBe(400);
    expect((ssrf.body as { message: string }).message).toContain('WEBHOOK_ALLOW_PRIVATE');
    expect(
      (await api().post('/api/webhooks').set(bearer(key)).send({ url: 'http://169.254.169.254/latest' }))
        .status,
    ).toBe(400);
    expect(
      (
        await api()
          .post('/api/webhooks')
          .set(bearer(key))
          .send({ url: 'https://93.184.216.34/hooks', events: ['bogus'] })
      ).status,
    ).toBe(400);
    expect(
      (await api().post('/api/webhooks').set(bearer(other)).send({ url: 'https://93.184.216.34/hooks' }))
        .status,
    ).toBe(403);
    const created = await api()
      .post('/api/webhooks')
      .set(bearer(key))
      .send({ url: 'https://93.184.216.34/hooks', events: ['member'] });
    expect(created.status).toBe(201);
    const { endpoint: added, secret } = created.body as { endpoint: { id: string }; secret: string };
    expect(secret).toMatch(/^whsec_/);
    const listed = await api().get('/api/webhooks').set(bearer(key));
    expect(listed.body).toEqual({
      endpoints: [expect.objectContaining({ id: added.id, events: ['member'], enabled: true })],
    });
    expect(JSON.stringify(listed.body)).not.toContain(secret);
    expect((await api().delete(`/api/webhooks/${added.id}`).set(bearer(key))).status).toBe(204);
    expect((await api().delete(`/api/webhooks/${added.id}`).set(bearer(key))).status).toBe(404);
  });
});
