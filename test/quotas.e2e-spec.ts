import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { HttpErrorSchema } from '@chat/contracts';
import request from 'supertest';
import { bearer, guest, register } from './utils/accounts.js';
import { Bystander, describeBystander } from './utils/bystander.js';
import { quotaBound, sendAll } from './utils/send-outcomes.js';
import { startApp, type TestApp } from './utils/start-app.js';
import { closeAll, TestClient } from './utils/test-client.js';

const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;
const uniqueRoom = () => `quota-${randomBytes(4).toString('hex')}`;

/** Sends `count` history frames; resolves with each one's answer in order: 'page' or the error's code. */
function historyAnswers(client: TestClient, count: number): Promise<string[]> {
  const answers: string[] = [];
  return new Promise((resolve) => {
    const onMessage = (raw: Buffer) => {
      const frame = JSON.parse(raw.toString()) as { event: string; data: { event?: string; code?: string } };
      if (frame.event === 'history') answers.push('page');
      else if (frame.event === 'error' && frame.data.event === 'history')
        answers.push(frame.data.code ?? '?');
      else return;
      if (answers.length < count) return;
      client.socket.off('message', onMessage);
      resolve(answers);
    };
    client.socket.on('message', onMessage);
    for (let i = 0; i < count; i++) client.send('history', { room: 'general' });
  });
}

/** Runs `count` calls of `task`, `concurrency` at a time (a flood the test process can sustain). */
async function flood<T>(count: number, concurrency: number, task: (i: number) => Promise<T>): Promise<T[]> {
  const results: T[] = [];
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const i = next++;
      results[i] = await task(i);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return results;
}

describe('quotas above one connection', () => {
  describe('sends per IP', () => {
    const PER_IP = 100;
    let server: TestApp;

    beforeAll(async () => {
      // No per-user limit: every guest is a new user, only the address ties them together.
      server = await startApp({ SENDS_PER_MINUTE_PER_IP: String(PER_IP), SENDS_PER_MINUTE_PER_USER: '0' });
    });
    afterAll(async () => {
      await server?.close();
    });

    it('should hold 300 guest connections from one IP to the per-IP rate in total', async () => {
      const guests = await Promise.all(
        Array.from({ length: 300 }, (_, i) => TestClient.joined(server.wsUrl, 'general', { name: `g${i}` })),
      );
      const bystander = await Bystander.start(server.wsUrl, 20);
      try {
        const started = performance.now();
        const outcomes = await Promise.all(
          guests.map((client, i) =>
            sendAll(
              client,
              'general',
              Array.from({ length: 15 }, (_, k) => `g${i}-${k}`),
              // A sustained flood, as in the report: ~1,000 sends a second in all, each connection within its own rate.
              { paceMs: 300 },
            ),
          ),
        );
        const elapsed = performance.now() - started;
        expect(bystander.client.socket.readyState).toBe(bystander.client.socket.OPEN);
        const report = await bystander.stop();
        console.log(describeBystander('4,500 sends from 300 guests on one IP over ~4.5 s', report));

        const acked = outcomes.flatMap((o) => o.acked);
        const refused = outcomes.flatMap((o) => o.refused);
        expect(acked.length + refused.length).toBe(4500);
        expect(acked.length).toBeGreaterThanOrEqual(PER_IP);
        expect(acked.length).toBeLessThanOrEqual(quotaBound(PER_IP, MINUTE_MS, elapsed));
        expect(refused.every((e) => e.code === 'rate_limited' && e.event === 'send')).toBe(true);
        expect(refused[0]?.retryAfterMs).toBeGreaterThan(0);
        expect(refused[0]?.message).toContain('network address');
        // What was stored is what was acknowledged, no more.
        const reader = await TestClient.connect(server.wsUrl, { name: 'reader' });
        await reader.next('welcome');
        reader.send('join', { room: 'general' });
        expect((await reader.next('joined')).lastSeq).toBe(acked.length);
        await reader.close();

        expect(report.unanswered).toBe(0);
      } finally {
        await closeAll(guests);
      }
    });
  });

  describe('sends per user', () => {
    const PER_USER = 6;
    let server: TestApp;

    beforeAll(async () => {
      server = await startApp({ SENDS_PER_MINUTE_PER_USER: String(PER_USER) });
    });
    afterAll(async () => {
      await server?.close();
    });

    it('should count one user across all its connections, in both protocols', async () => {
      const { token } = await register(server.baseUrl);
      const tabs = await Promise.all(
        [1, 2, 3].map(() => TestClient.joined(server.wsUrl, 'general', { token })),
      );
      try {
        const started = performance.now();
        const outcomes = await Promise.all(
          tabs.map((tab, i) => sendAll(tab, 'general', [`u${i}-a`, `u${i}-b`, `u${i}-c`, `u${i}-d`])),
        );
        const elapsed = performance.now() - started;
        const acked = outcomes.flatMap((o) => o.acked).length;
        expect(acked).toBeGreaterThanOrEqual(PER_USER);
        expect(acked).toBeLessThanOrEqual(quotaBound(PER_USER, MINUTE_MS, elapsed));
        const refusal = outcomes.flatMap((o) => o.refused)[0];
        expect(refusal).toMatchObject({ code: 'rate_limited', event: 'send', room: 'general' });
        expect(refusal?.message).toContain('your account');
        // A simple-protocol client of the same user is refused too, in its own message shape.
        const simple = await TestClient.connect(server.wsUrl, { token, protocols: [] });
        simple.sendRaw(JSON.stringify({ message: 'one more' }));
        const answer = await simple.next('simple', (data) => 'error' in data);
        expect(answer.error).toMatchObject({ code: 'rate_limited' });
        await simple.close();
      } finally {
        await closeAll(tabs);
      }
    });
  });

  describe('room creations', () => {
    let server: TestApp;

    beforeAll(async () => {
      server = await startApp({ ROOMS_PER_HOUR_PER_USER: '3', ROOMS_PER_HOUR_PER_IP: '4' });
    });
    afterAll(async () => {
      await server?.close();
    });

    const create = (token: string, name: string) =>
      request(server.baseUrl).post('/api/rooms').set(bearer(token)).send({ name });

    it('should limit new rooms per user and per IP, over HTTP and by joining, with Retry-After', async () => {
      const alice = await register(server.baseUrl);
      const started = performance.now();
      const first = [uniqueRoom(), uniqueRoom(), uniqueRoom()];
      for (const name of first) expect((await create(alice.token, name)).status).toBe(201);
      // An existing room costs nothing (409 since issue 14's contract; it was 200).
      expect((await create(alice.token, first[0]!)).status).toBe(409);
      const refused = await create(alice.token, uniqueRoom());
      expect(refused.status).toBe(429);
      expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
      expect(HttpErrorSchema.parse(refused.body)).toMatchObject({ code: 'rate_limited' });
      expect(refused.body.message).toContain('your account');

      // Creating by joining a new room counts too, and is refused the same way.
      const tab = await TestClient.connect(server.wsUrl, { token: alice.token });
      await tab.next('welcome');
      const room = uniqueRoom();
      tab.send('join', { room });
      const error = await tab.next('error', (e) => e.event === 'join');
      expect(error).toMatchObject({ code: 'rate_limited', room });
      expect(error.retryAfterMs).toBeGreaterThan(0);
      // An existing room can still be joined.
      tab.send('join', { room: first[1]! });
      await tab.next('joined', (j) => j.room === first[1]);
      await tab.close();

      // Bob, from the same address, has the IP's one creation left, then the IP is spent.
      const bob = await register(server.baseUrl);
      const bobsTries = [];
      for (let i = 0; i < 3; i++) bobsTries.push((await create(bob.token, uniqueRoom())).status);
      const elapsed = performance.now() - started;
      expect(bobsTries.filter((status) => status === 201).length).toBeLessThanOrEqual(
        quotaBound(4, HOUR_MS, elapsed) - 3,
      );
      expect(bobsTries).toContain(429);
    });

    it('should keep a bystander served while 3,000 creations are refused', async () => {
      const accounts = await Promise.all([1, 2, 3].map(() => register(server.baseUrl)));
      const bystander = await Bystander.start(server.wsUrl, 20);
      const statuses = await flood(3000, 50, (i) =>
        create(accounts[i % accounts.length]!.token, uniqueRoom()).then((r) => r.status),
      );
      expect(bystander.client.socket.readyState).toBe(bystander.client.socket.OPEN);
      const report = await bystander.stop();
      console.log(describeBystander('3,000 room creations from one IP', report));
      expect(statuses.every((status) => status === 429 || status === 201)).toBe(true);
      expect(statuses.filter((status) => status === 201).length).toBeLessThanOrEqual(4);
      expect(report.unanswered).toBe(0);
    });
  });

  describe('HTTP reads', () => {
    const PER_IP = 50;
    let server: TestApp;

    beforeAll(async () => {
      server = await startApp({ READS_PER_MINUTE_PER_IP: String(PER_IP) });
    });
    afterAll(async () => {
      await server?.close();
    });

    it('should answer 429 with Retry-After past the per-IP rate, for every guest together', async () => {
      const tokens = await Promise.all([1, 2, 3, 4, 5].map((i) => guest(server.baseUrl, `reader${i}`)));
      const bystander = await Bystander.start(server.wsUrl, 20);
      const started = performance.now();
      const responses = await flood(3000, 50, (i) => {
        const path = i % 2 === 0 ? '/api/rooms' : '/api/rooms/general/messages?limit=100';
        return request(server.baseUrl)
          .get(path)
          .set(bearer(tokens[i % tokens.length]!.token));
      });
      const elapsed = performance.now() - started;
      expect(bystander.client.socket.readyState).toBe(bystander.client.socket.OPEN);
      const report = await bystander.stop();
      console.log(describeBystander('3,000 HTTP reads from one IP', report));

      const ok = responses.filter((r) => r.status === 200).length;
      const limited = responses.filter((r) => r.status === 429);
      expect(ok + limited.length).toBe(3000);
      expect(ok).toBeGreaterThanOrEqual(PER_IP);
      expect(ok).toBeLessThanOrEqual(quotaBound(PER_IP, MINUTE_MS, elapsed));
      expect(Number(limited[0]?.headers['retry-after'])).toBeGreaterThan(0);
      expect(HttpErrorSchema.parse(limited[0]?.body)).toMatchObject({ code: 'rate_limited' });
      expect(limited[0]?.body.retryAfterMs).toBeGreaterThan(0);
      expect(report.unanswered).toBe(0);
    });
  });

  describe('history pages over WebSocket', () => {
    const PER_USER = 3;
    let server: TestApp;

    beforeAll(async () => {
      server = await startApp({ READS_PER_MINUTE_PER_USER: String(PER_USER) });
    });
    afterAll(async () => {
      await server?.close();
    });

    it('should count against the same read quota as HTTP pages', async () => {
      const { token } = await guest(server.baseUrl, 'pager');
      const client = await TestClient.joined(server.wsUrl, 'general', { token });
      try {
        const started = performance.now();
        const answers = await historyAnswers(client, 5);
        const http = await request(server.baseUrl).get('/api/rooms').set(bearer(token));
        const elapsed = performance.now() - started;
        const pages = answers.filter((answer) => answer === 'page').length;
        expect(answers.filter((answer) => answer !== 'page').every((a) => a === 'rate_limited')).toBe(true);
        expect([200, 429]).toContain(http.status);
        // Five pages over WebSocket and one over HTTP, from one quota.
        expect(pages + (http.status === 200 ? 1 : 0)).toBeLessThanOrEqual(
          quotaBound(PER_USER, MINUTE_MS, elapsed),
        );
        expect(pages).toBeGreaterThanOrEqual(1);
      } finally {
        await client.close();
      }
    });
  });
});

/**
 * Sends `count` joins of `room` (each after a leave when `leaveFirst`, else a rejoin of a room the
 * connection is in); resolves with each one's answer in order: 'joined' or the error's code.
 */
function joinAnswers(
  client: TestClient,
  room: string,
  count: number,
  leaveFirst: boolean,
): Promise<string[]> {
  const answers: string[] = [];
  return new Promise((resolve) => {
    const onMessage = (raw: Buffer) => {
      const frame = JSON.parse(raw.toString()) as {
        event: string;
        data: { event?: string; code?: string; room?: string; retryAfterMs?: number };
      };
      if (frame.data?.room !== room) return;
      if (frame.event === 'joined') answers.push('joined');
      else if (frame.event === 'error' && frame.data.event === 'join') {
        answers.push(frame.data.code ?? '?');
        if (frame.data.code === 'rate_limited' && !(Number(frame.data.retryAfterMs) > 0))
          answers.push('no-wait');
      } else return;
      if (answers.filter((a) => a !== 'no-wait').length < count) return;
      client.socket.off('message', onMessage);
      resolve(answers);
    };
    client.socket.on('message', onMessage);
    for (let i = 0; i < count; i++) {
      if (leaveFirst) client.send('leave', { room });
      client.send('join', { room });
    }
  });
}

describe('joins count as reads', () => {
  describe('per user', () => {
    const PER_USER = 6;
    let server: TestApp;

    beforeAll(async () => {
      server = await startApp({ READS_PER_MINUTE_PER_USER: String(PER_USER), READS_PER_MINUTE_PER_IP: '0' });
    });
    afterAll(async () => {
      await server?.close();
    });

    it('should refuse joins and rejoins past the quota, keep the other rooms, and not touch other users', async () => {
      const { token } = await register(server.baseUrl);
      const room = uniqueRoom();
      const attacker = await TestClient.joined(server.wsUrl, room, { token }); // read 1
      const clients = [attacker];
      try {
        attacker.send('join', { room: 'general' }); // read 2
        await attacker.next('joined', (data) => data.room === 'general');
        const started = performance.now();
        // Rejoins of a room the connection is in, then leave + join loops: one quota for both.
        const rejoins = await joinAnswers(attacker, 'general', 10, false);
        const loops = await joinAnswers(attacker, 'general', 10, true);
        const elapsed = performance.now() - started;
        const answers = [...rejoins, ...loops];
        expect(answers).not.toContain('no-wait');
        expect(answers.filter((a) => a !== 'joined').every((a) => a === 'rate_limited')).toBe(true);
        const joined = answers.filter((a) => a === 'joined').length;
        expect(joined + 2).toBeLessThanOrEqual(quotaBound(PER_USER, MINUTE_MS, elapsed));
        expect(rejoins.at(-1)).toBe('rate_limited');
        expect(loops.at(-1)).toBe('rate_limited');

        // Another user joins as usual, and the attacker still gets the room it joined first.
        const other = await TestClient.joined(server.wsUrl, room, {
          token: (await guest(server.baseUrl, 'calm')).token,
        });
        clients.push(other);
        other.send('send', { room, clientId: 'calm-1', text: 'still here?' });
        const message = await attacker.next('message', (data) => data.room === room);
        expect(message.text).toBe('still here?');
        expect(attacker.socket.readyState).toBe(attacker.socket.OPEN);
      } finally {
        await closeAll(clients);
      }
    });
  });

  describe('per IP', () => {
    const PER_IP = 40;
    const GUESTS = 20;
    const LOOPS = 45; // 90 frames per guest: within FRAME_BURST
    let server: TestApp;

    beforeAll(async () => {
      // No per-user limit: every guest is a new user, only the address ties them together.
      server = await startApp({ READS_PER_MINUTE_PER_IP: String(PER_IP), READS_PER_MINUTE_PER_USER: '0' });
    });
    afterAll(async () => {
      await server?.close();
    });

    it('should hold 20 guests looping leave/join from one IP to the per-IP rate in total', async () => {
      const bystander = await Bystander.start(server.wsUrl, 20, { localAddress: '127.0.0.2' });
      const guests = await Promise.all(
        Array.from({ length: GUESTS }, async (_, i) => {
          const client = await TestClient.connect(server.wsUrl, { name: `looper${i}` });
          await client.next('welcome');
          return client;
        }),
      );
      try {
        const started = performance.now();
        const answers = (await Promise.all(guests.map((g) => joinAnswers(g, 'general', LOOPS, true)))).flat();
        const elapsed = performance.now() - started;
        const joined = answers.filter((a) => a === 'joined').length;
        expect(answers).not.toContain('no-wait');
        expect(answers.filter((a) => a !== 'joined').every((a) => a === 'rate_limited')).toBe(true);
        expect(joined).toBeGreaterThanOrEqual(1);
        expect(joined).toBeLessThanOrEqual(quotaBound(PER_IP, MINUTE_MS, elapsed));

        // Someone on another address joins as usual.
        const neighbour = await TestClient.joined(server.wsUrl, 'general', {
          name: 'neighbour',
          localAddress: '127.0.0.3',
        });
        await neighbour.close();
        expect(bystander.client.socket.readyState).toBe(bystander.client.socket.OPEN);
        const report = await bystander.stop();
        console.log(describeBystander(`${GUESTS * LOOPS} leave/join loops from one IP`, report));
        expect(report.unanswered).toBe(0);
      } finally {
        await closeAll(guests);
      }
    });
  });
});
