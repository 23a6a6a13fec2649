import { createHash, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Injectable, Module } from '@nestjs/common';
import { ChatMessageSchema, type AuthResponse } from '@chat/contracts';
import request from 'supertest';
import {
  SlashCommand,
  type CommandContext,
  type SlashCommandHandler,
} from '../apps/api/src/commands/slash-command.js';
import { ForbiddenError } from '../apps/api/src/common/errors/chat-errors.js';
import { ChatCore, OnMessagePosting, type MessagePostingEvent } from '../apps/api/src/core/index.js';
import {
  IDEMPOTENCY_LEASE_MS,
  IDEMPOTENCY_RETENTION_MS,
  IdempotencyKeys,
} from '../apps/api/src/rooms/idempotency-keys.js';
import { IDEMPOTENCY_STORE, type IdempotencyStore } from '../apps/api/src/storage/idempotency-store.js';
import { bearer, register } from './utils/accounts.js';
import { membershipApi } from './utils/membership.js';
import { describeOnEachStore, postgresAvailability, type StoreEnv } from './utils/postgres.js';
import { NO_RATE_LIMITS, startApp, type TestApp } from './utils/start-app.js';
import { closeAll, TestClient } from './utils/test-client.js';

const postgres = await postgresAvailability();
const ENV = { ...NO_RATE_LIMITS, LOGIN_LIMIT_PER_IP: '0', LOGIN_LIMIT_PER_USERNAME: '0' };

/** A promise with its resolve, for a test to hold a request at a known point. */
function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve = () => {};
  const promise = new Promise<void>((done) => (resolve = done));
  return { promise, resolve };
}

/** Where a post marked `hold-here` waits, and how the test learns it got there. */
const hold = { entered: deferred(), gate: deferred() };
let countedRuns = 0;

/**
 * Posting hooks of the test: `hold-here` waits at the gate (a request in flight, on purpose),
 * `hook-refuses` is refused as a moderation hook would, `count-me` is swallowed like a command
 * whose reply counts how often it ran.
 */
@Injectable()
class TestHooks {
  @OnMessagePosting()
  async inspect(event: MessagePostingEvent): Promise<void> {
    if (event.text.includes('hold-here')) {
      hold.entered.resolve();
      await hold.gate.promise;
    }
    if (event.text.includes('hook-refuses')) throw new ForbiddenError('the test hook refuses this text');
    if (event.text.includes('count-me')) {
      countedRuns += 1;
      event.reply(`ran ${countedRuns} time(s)`);
      event.swallow('test');
    }
  }
}

let tallies = 0;

/** A real slash command with a side effect to count: `/tally hold` waits at the gate first. */
@SlashCommand({ name: 'tally', description: 'counts how often it ran' })
@Injectable()
class TallyCommand implements SlashCommandHandler {
  async run(args: string, context: CommandContext): Promise<void> {
    if (args === 'hold') {
      hold.entered.resolve();
      await hold.gate.promise;
    }
    tallies += 1;
    context.reply(`tallied (${tallies} so far)`);
  }
}

@Module({ providers: [TestHooks, TallyCommand] })
class TestHooksModule {}

/** The fingerprint http-posts.ts keeps for a plain `{text}` body in `room`. */
const bodyPrint = (room: string, text: string) =>
  createHash('sha256')
    .update(JSON.stringify([room, text, null, null, null]))
    .digest('hex');

/** The 409 of a key held by an identical request: retry in a second. */
function expectInFlight(answer: request.Response): void {
  expect(answer.status).toBe(409);
  expect(answer.body).toMatchObject({ code: 'idempotency_conflict', retryAfterMs: 1000 });
  expect((answer.body as { message: string }).message).toContain('still in progress');
  expect(answer.headers['retry-after']).toBe('1');
}

function describeHttpIdempotency(store: string, env: StoreEnv): void {
  describe(`HTTP Idempotency-Key (${store})`, () => {
    let server: TestApp;
    let alice: AuthResponse;
    let bob: AuthResponse;
    const newKey = () => `k-${randomUUID()}`;
    const post = (who: AuthResponse, room: string, body: object, key: string) =>
      request(server.baseUrl)
        .post(`/api/rooms/${room}/messages`)
        .set({ ...bearer(who.token), 'Idempotency-Key': key })
        .send(body);
    /** Alice's messages under `key` in `room` (she reads every room of these tests). */
    const storedUnder = async (room: string, key: string) => {
      const page = await membershipApi(server.baseUrl, alice.token).messages(room);
      expect(page.status).toBe(200);
      return (page.body as { messages: unknown[] }).messages
        .map((m) => ChatMessageSchema.parse(m))
        .filter((m) => m.clientId === key);
    };

    beforeAll(async () => {
      server = await startApp({ ...ENV, ...env() }, { imports: [TestHooksModule] });
      alice = await register(server.baseUrl);
      bob = await register(server.baseUrl);
    });
    afterAll(async () => {
      await server?.close();
    });

    it('should leave the key of a failed post to its corrected retry', async () => {
      const api = membershipApi(server.baseUrl, alice.token);
      const hidden = `hid-${randomUUID().slice(0, 8)}`;
      const muted = `mut-${randomUUID().slice(0, 8)}`;
      expect((await api.createRoom(hidden, 'private')).status).toBe(201);
      expect((await api.createRoom(muted, 'public')).status).toBe(201);
      expect((await api.add(muted, bob.user.name)).status).toBe(201);
      expect((await api.mute(muted, bob.user.name)).status).toBe(201);
      const failures: { why: string; room: string; body: object; status: number }[] = [
        { why: 'not a member', room: hidden, body: { text: 'let me in' }, status: 404 },
        { why: 'muted', room: muted, body: { text: 'can you hear me' }, status: 403 },
        { why: 'too long', room: 'general', body: { text: 'x'.repeat(4001) }, status: 413 },
        {
          why: 'no such reply target',
          room: 'general',
          body: { text: 'an answer', replyTo: randomUUID() },
          status: 404,
        },
        { why: 'refused by a hook', room: 'general', body: { text: 'hook-refuses this' }, status: 403 },
        {
          why: 'no such room',
          room: `gone-${randomUUID().slice(0, 8)}`,
          body: { text: 'hello?' },
          status: 404,
        },
      ];
      for (const failure of failures) {
        const key = newKey();
        const failed = await post(bob, failure.room, failure.body, key);
        expect({ why: failure.why, status: failed.status }).toEqual({
          why: failure.why,
          status: failure.status,
        });
        const text = `corrected after: ${failure.why}`;
        const retried = await post(bob, 'general', { text }, key);
        expect({ why: failure.why, status: retried.status }).toEqual({ why: failure.why, status: 201 });
        // Now the key is bound: the same body is a replay, the failed one a conflict.
        const replay = await post(bob, 'general', { text }, key);
        expect(replay.status).toBe(200);
        expect((replay.body as { message: { id: string } }).message.id).toBe(
          (retried.body as { message: { id: string } }).message.id,
        );
        const again = await post(bob, failure.room, failure.body, key);
        expect(again.status).toBe(409);
        expect(again.body).toMatchObject({ code: 'idempotency_conflict' });
        expect((await storedUnder('general', key)).map((m) => m.text)).toEqual([text]);
      }
    });

    it('should answer the replay of a swallowed post with its first replies, without running it again', async () => {
      const key = newKey();
      const first = await post(alice, 'general', { text: 'count-me please' }, key);
      expect(first.status).toBe(202);
      const { replies } = first.body as { replies: string[] };
      expect(replies).toHaveLength(1);
      const runs = countedRuns;
      const replay = await post(alice, 'general', { text: 'count-me please' }, key);
      expect(replay.status).toBe(202);
      expect(replay.body).toEqual({ replies });
      expect(countedRuns).toBe(runs);
      const other = await post(alice, 'general', { text: 'something else' }, key);
      expect(other.status).toBe(409);
      expect(await storedUnder('general', key)).toEqual([]);
    });

    it('should refuse another body while a request holds the key, and free the key when that one fails', async () => {
      const key = newKey();
      Object.assign(hold, { entered: deferred(), gate: deferred() });
      const held = post(alice, 'general', { text: 'hold-here, then hook-refuses' }, key).then((r) => r);
      await hold.entered.promise;
      const meanwhile = await post(alice, 'general', { text: 'the real message' }, key);
      expect(meanwhile.status).toBe(409);
      expect(meanwhile.body).toMatchObject({ code: 'idempotency_conflict' });
      expect((meanwhile.body as { message: string }).message).toContain('not answered yet');
      hold.gate.resolve();
      expect((await held).status).toBe(403);
      const after = await post(alice, 'general', { text: 'the real message' }, key);
      expect(after.status).toBe(201);
      expect((await storedUnder('general', key)).map((m) => m.text)).toEqual(['the real message']);
    });

    it('should refuse an identical request while the first is in flight, and replay its answer after', async () => {
      const key = newKey();
      Object.assign(hold, { entered: deferred(), gate: deferred() });
      const held = post(alice, 'general', { text: 'hold-here and store' }, key).then((r) => r);
      await hold.entered.promise;
      expectInFlight(await post(alice, 'general', { text: 'hold-here and store' }, key));
      expect((await post(alice, 'general', { text: 'another body' }, key)).status).toBe(409);
      hold.gate.resolve();
      const first = await held;
      expect(first.status).toBe(201);
      const replay = await post(alice, 'general', { text: 'hold-here and store' }, key);
      expect(replay.status).toBe(200);
      expect((replay.body as { message: { id: string } }).message.id).toBe(
        (first.body as { message: { id: string } }).message.id,
      );
      expect((await post(alice, 'general', { text: 'another body' }, key)).status).toBe(409);
      expect((await storedUnder('general', key)).map((m) => m.text)).toEqual(['hold-here and store']);
    });

    it('should store one message for concurrent identical requests: one 201, the others 409 or its replay', async () => {
      const key = newKey();
      const answers = await Promise.all(
        Array.from({ length: 6 }, () => post(bob, 'general', { text: 'said six times at once' }, key)),
      );
      const statuses = answers.map((a) => a.status);
      expect(statuses.filter((s) => s === 201)).toHaveLength(1);
      expect(statuses.filter((s) => s !== 201 && s !== 200 && s !== 409)).toEqual([]);
      for (const refused of answers.filter((a) => a.status === 409)) expectInFlight(refused);
      const ids = new Set(
        answers
          .filter((a) => a.status !== 409)
          .map((a) => (a.body as { message: { id: string } }).message.id),
      );
      expect(ids.size).toBe(1);
      expect(await storedUnder('general', key)).toHaveLength(1);
    });

    it('should run a slash command once for two identical requests, the second while the first runs', async () => {
      const key = newKey();
      Object.assign(hold, { entered: deferred(), gate: deferred() });
      const runs = tallies;
      const first = post(alice, 'general', { text: '/tally hold' }, key).then((r) => r);
      await hold.entered.promise;
      expectInFlight(await post(alice, 'general', { text: '/tally hold' }, key));
      hold.gate.resolve();
      const answered = await first;
      expect(answered.status).toBe(202);
      const replay = await post(alice, 'general', { text: '/tally hold' }, key);
      expect(replay.status).toBe(202);
      expect(replay.body).toEqual(answered.body);
      expect(tallies).toBe(runs + 1);
    });

    it('should run a slash command once for concurrent identical requests', async () => {
      const key = newKey();
      const runs = tallies;
      const answers = await Promise.all(
        Array.from({ length: 4 }, () => post(alice, 'general', { text: '/tally' }, key)),
      );
      expect(tallies).toBe(runs + 1);
      const statuses = answers.map((a) => a.status);
      expect(statuses.filter((s) => s !== 202 && s !== 409)).toEqual([]);
      for (const refused of answers.filter((a) => a.status === 409)) expectInFlight(refused);
      const bodies = answers.filter((a) => a.status === 202).map((a) => JSON.stringify(a.body));
      expect(bodies.length).toBeGreaterThanOrEqual(1);
      expect(new Set(bodies).size).toBe(1);
    });

    it('should refuse a post whose key a socket send used while the post held it, and keep refusing it', async () => {
      const key = newKey();
      Object.assign(hold, { entered: deferred(), gate: deferred() });
      const client = await TestClient.joined(server.wsUrl, 'general', { token: alice.token });
      try {
        const held = post(alice, 'general', { text: 'hold-here over HTTP' }, key).then((r) => r);
        await hold.entered.promise;
        client.send('send', { room: 'general', text: 'said on the socket', clientId: key });
        await client.next('ack', (data) => data.clientId === key);
        hold.gate.resolve();
        const answered = await held;
        expect(answered.status).toBe(409);
        expect(answered.body).toMatchObject({ code: 'idempotency_conflict' });
        expect((answered.body as { message: string }).message).toContain('WebSocket');
        // The socket's message never passes for this request's answer, on a retry either.
        expect((await post(alice, 'general', { text: 'hold-here over HTTP' }, key)).status).toBe(409);
        expect((await storedUnder('general', key)).map((m) => m.text)).toEqual(['said on the socket']);
      } finally {
        await closeAll([client]);
      }
    });

    it('should keep the key bound to a message that a failing request stored before it failed', async () => {
      const key = newKey();
      const text = 'stored, then the request broke';
      const keys = server.app.get(IdempotencyKeys);
      const claimed = await keys.claim(bob.user.id, key, bodyPrint('general', text));
      // As a post whose storing succeeded and whose answer then failed (a fan-out, a lost connection).
      const outcome = await server.app
        .get(ChatCore)
        .post({ room: 'general', text, user: bob.user, clientId: key });
      expect(outcome.swallowed).toBe(false);
      await keys.failed(claimed, new Error('the fan-out broke'));
      const retry = await post(bob, 'general', { text }, key);
      expect(retry.status).toBe(200);
      expect((retry.body as { message: { text: string } }).message.text).toBe(text);
      expect((await post(bob, 'general', { text: 'another body' }, key)).status).toBe(409);
    });

    it('should answer the retry of a post that stored its message and then died (never settled) with that message', async () => {
      const key = newKey();
      const text = 'stored, then the server died';
      // Held and never settled nor released, as a server that crashed after the commit leaves it.
      await server.app.get(IdempotencyKeys).claim(bob.user.id, key, bodyPrint('general', text));
      await server.app.get(ChatCore).post({ room: 'general', text, user: bob.user, clientId: key });
      for (let attempt = 0; attempt < 2; attempt++) {
        const retry = await post(bob, 'general', { text }, key);
        expect(retry.status).toBe(200);
        expect((retry.body as { message: { text: string } }).message.text).toBe(text);
      }
      expect((await post(bob, 'general', { text: 'another body' }, key)).status).toBe(409);
      expect(await storedUnder('general', key)).toHaveLength(1);
    });

    it('should not bind to a refused post the message a socket send stored under its key meanwhile', async () => {
      const key = newKey();
      const text = 'refused over HTTP';
      const keys = server.app.get(IdempotencyKeys);
      const claimed = await keys.claim(bob.user.id, key, bodyPrint('general', text));
      // While the post holds the key, a socket send of other text uses it as its clientId...
      await server.app
        .get(ChatCore)
        .post({ room: 'general', text: 'said on the socket', user: bob.user, clientId: key });
      // ...and the post is refused before anything of its own is stored (muted, say).
      await keys.failed(claimed, new ForbiddenError('you are muted in room "general"'));
      const retry = await post(bob, 'general', { text }, key);
      expect(retry.status).toBe(409);
      expect((retry.body as { message: string }).message).toContain('WebSocket');
      expect((await storedUnder('general', key)).map((m) => m.text)).toEqual(['said on the socket']);
    });

    it('should store one of concurrent different bodies and refuse the others', async () => {
      const key = newKey();
      const texts = ['first body', 'second body', 'third body', 'fourth body'];
      const answers = await Promise.all(texts.map((text) => post(bob, 'general', { text }, key)));
      const statuses = answers.map((a) => a.status);
      expect(statuses.filter((s) => s === 201)).toHaveLength(1);
      expect(statuses.filter((s) => s === 409)).toHaveLength(3);
      const winner = texts[statuses.indexOf(201)];
      expect((await storedUnder('general', key)).map((m) => m.text)).toEqual([winner]);
    });

    it('should forget a command key once its retention is over, and keep it until then', async () => {
      const key = newKey();
      const runs = tallies;
      const first = await post(alice, 'general', { text: '/tally' }, key);
      expect(first.status).toBe(202);
      const keys = server.app.get(IdempotencyKeys);
      // Other tests' bindings may go first: prune until nothing is left to prune at that time.
      const pruneAt = async (at: number) => {
        while ((await keys.prune(at)) > 0);
      };
      await pruneAt(Date.now() + IDEMPOTENCY_RETENTION_MS - 60_000);
      expect((await post(alice, 'general', { text: '/tally' }, key)).body).toEqual(first.body);
      expect(tallies).toBe(runs + 1);
      await pruneAt(Date.now() + IDEMPOTENCY_RETENTION_MS + 60_000);
      // Forgotten, as Stripe forgets a key after 24 h: the same request is a new one.
      const again = await post(alice, 'general', { text: '/tally' }, key);
      expect(again.status).toBe(202);
      expect(tallies).toBe(runs + 2);
    });

    it('should free a key whose holder never answered (a crash) once the lease ran out, not before', async () => {
      const idempotency = server.app.get<symbol, IdempotencyStore>(IDEMPOTENCY_STORE);
      const crashedAt = (ago: number) => ({
        hold: randomUUID(),
        now: new Date(Date.now() - ago).toISOString(),
        abandonedBefore: new Date(Date.now() - ago - IDEMPOTENCY_LEASE_MS).toISOString(),
      });
      // A claim that was never settled nor released, as a server that died mid-request leaves it.
      const recent = newKey();
      expect(
        await idempotency.claim(alice.user.id, recent, 'a body of the crashed request', crashedAt(1000)),
      ).toEqual({ status: 'new' });
      const refused = await post(alice, 'general', { text: 'after a recent crash' }, recent);
      expect(refused.status).toBe(409);
      const old = newKey();
      await idempotency.claim(
        alice.user.id,
        old,
        'a body of the crashed request',
        crashedAt(IDEMPOTENCY_LEASE_MS + 60_000),
      );
      const taken = await post(alice, 'general', { text: 'after an old crash' }, old);
      expect(taken.status).toBe(201);
      expect((await storedUnder('general', old)).map((m) => m.text)).toEqual(['after an old crash']);
    });
  });
}

describeOnEachStore('HTTP idempotency', postgres, describeHttpIdempotency);
