import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import type { Joined, MessagesPage } from '@chat/contracts';
import request from 'supertest';
import { bearer, register } from './utils/accounts.js';
import { NO_RATE_LIMITS, startApp, type TestApp } from './utils/start-app.js';
import { logSeqs, seqRange, seqsAfter } from './utils/room-log.js';
import { closeAll, TestClient } from './utils/test-client.js';

describe('idempotent sends and resume', () => {
  let server: TestApp;
  const clients: TestClient[] = [];
  let token: string;
  const connect = async (room: string) => {
    const client = await TestClient.joined(server.wsUrl, room, { token });
    clients.push(client);
    return client;
  };
  /**
   * Creates `room` by joining it and posts `count` messages into it. Returns the seq the room's
   * log stood at before them (its creation logged the owner's `member` entry): the messages
   * took exactly the next `count` seqs, checked here.
   */
  const fillNew = async (room: string, count: number, prefix: string) => {
    const { client, joined } = await TestClient.joinedWith(server.wsUrl, room, { token });
    clients.push(client);
    const seqs = await fill(client, room, count, prefix);
    expect(seqs).toEqual(seqsAfter(joined.lastSeq, count));
    return joined.lastSeq;
  };
  /** Posts `count` messages, at most 100 unacknowledged at a time (the server allows 256); their seqs. */
  const fill = async (client: TestClient, room: string, count: number, prefix: string) => {
    const seqs: number[] = [];
    for (let start = 0; start < count; start += 100) {
      const end = Math.min(count, start + 100);
      for (let i = start; i < end; i++)
        client.send('send', { room, text: `${prefix}${i}`, clientId: `${prefix}${i}` });
      seqs.push(...(await client.take('ack', end - start)).map((ack) => ack.seq));
    }
    return seqs;
  };

  beforeAll(async () => {
    server = await startApp(NO_RATE_LIMITS);
    ({ token } = await register(server.baseUrl));
  });
  afterEach(async () => {
    await closeAll(clients.splice(0));
  });
  afterAll(async () => {
    await server.close();
  });

  describe('send', () => {
    it('should return the same ack for a repeated clientId and store one message', async () => {
      const client = await connect('idem-1');
      client.send('send', { room: 'idem-1', text: 'once', clientId: 'same' });
      const first = await client.next('ack');
      client.send('send', { room: 'idem-1', text: 'once', clientId: 'same' });
      expect(await client.next('ack')).toEqual(first);
      await client.next('message');
      client.send('history', { room: 'idem-1' });
      expect((await client.next('history')).messages).toHaveLength(1);
      // The repeat was not fanned out again either.
      expect(client.pending('message')).toEqual([]);
    });

    it('should store one message for concurrent repeats from two connections', async () => {
      const a = await connect('idem-2');
      const b = await connect('idem-2');
      for (let i = 0; i < 5; i++) {
        a.send('send', { room: 'idem-2', text: 'race', clientId: 'racing' });
        b.send('send', { room: 'idem-2', text: 'race', clientId: 'racing' });
      }
      const acks = [...(await a.take('ack', 5)), ...(await b.take('ack', 5))];
      expect(new Set(acks.map((ack) => ack.id)).size).toBe(1);
      const page = await request(server.baseUrl)
        .get('/api/rooms/idem-2/messages')
        .set(bearer(token))
        .expect(200);
      expect((page.body as MessagesPage).messages).toHaveLength(1);
    });

    it('should return the original ack after a reconnect', async () => {
      const first = await connect('idem-3');
      first.send('send', { room: 'idem-3', text: 'before reconnect', clientId: 'survivor' });
      const ack = await first.next('ack');
      await first.close();

      const again = await connect('idem-3');
      again.send('send', { room: 'idem-3', text: 'before reconnect', clientId: 'survivor' });
      expect(await again.next('ack')).toEqual(ack);
    });
  });

  describe('join', () => {
    it('should return the latest 50 without since, with hasMore', async () => {
      const before = await fillNew('latest', 60, 'l');
      const reader = await connect('latest-reader');
      reader.send('join', { room: 'latest' });
      const joined = await reader.next('joined', (j) => j.room === 'latest');
      expect(joined.messages.map((m) => m.seq)).toEqual(seqRange(before + 11, before + 60));
      expect(joined).toMatchObject({ lastSeq: before + 60, hasMore: true });
    });

    it('should resume with exactly the missed messages, in order', async () => {
      const before = await fillNew('missed', 10, 'm');
      const reader = await connect('missed-reader');
      reader.send('join', { room: 'missed', since: before + 7 });
      const joined = await reader.next('joined', (j) => j.room === 'missed');
      expect(joined.messages.map((m) => m.text)).toEqual(['m7', 'm8', 'm9']);
      expect(joined.messages.map((m) => m.seq)).toEqual(seqsAfter(before + 7, 3));
      // The reader was a member already (same account): nothing but the messages was logged.
      expect(joined.changes ?? []).toEqual([]);
      expect(joined).toMatchObject({ lastSeq: before + 10, hasMore: false });
    });

    it('should resume the latest 500 when more were missed, and let history page back to the gap', async () => {
      const before = await fillNew('many', 520, 'n');
      const reader = await connect('many-reader');
      reader.send('join', { room: 'many', since: before + 5 });
      const joined = await reader.next('joined', (j) => j.room === 'many');
      expect(joined.messages.map((m) => m.seq)).toEqual(seqRange(before + 21, before + 520));
      expect(joined).toMatchObject({ lastSeq: before + 520, hasMore: true });
      reader.send('history', { room: 'many', before: before + 21, limit: 100 });
      const older = await reader.next('history');
      // Back to the gap and no further: the messages after since, and not the member entry before them.
      expect(older.messages.map((m) => m.seq)).toEqual(seqRange(before + 1, before + 20));
      expect(older.hasMore).toBe(false);
    });

    it('should serve the same pages over HTTP as over the WebSocket', async () => {
      const writer = await connect('pages');
      await fill(writer, 'pages', 12, 'p');
      writer.send('history', { room: 'pages', before: 10, limit: 4 });
      const overWs = await writer.next('history');
      const overHttp = await request(server.baseUrl)
        .get('/api/rooms/pages/messages?before=10&limit=4')
        .set(bearer(token))
        .expect(200);
      expect(overHttp.body).toEqual(overWs);
    });

    it('should deliver a gap-free, strictly increasing sequence to a client that rejoins during a flood', async () => {
      const flooders = await Promise.all([connect('flood'), connect('flood'), connect('flood')]);
      let stop = false;
      const flooding = flooders.map(async (flooder, f) => {
        for (let i = 0; !stop; i++) {
          flooder.send('send', { room: 'flood', text: `f${f}-${i}`, clientId: `f${f}-${i}` });
          await flooder.next('ack', undefined, 5000);
        }
      });

      const seen: number[] = [];
      const waiters: { until: number; resolve: () => void }[] = [];
      const see = (seqs: number[]) => {
        seen.push(...seqs);
        for (const waiter of waiters.filter((w) => seen.length >= w.until)) {
          waiters.splice(waiters.indexOf(waiter), 1);
          waiter.resolve();
        }
      };
      /** Resolves once `count` more messages have arrived: the flood is on, however slow the machine. */
      const seenMore = (count: number) =>
        new Promise<void>((resolve) => waiters.push({ until: seen.length + count, resolve }));
      const record = (client: TestClient) =>
        client.socket.on('message', (raw) => {
          const frame = JSON.parse(raw.toString()) as { event: string; data: unknown };
          // Every entry of the room's log counts (a `member` change would take a seq too).
          if (frame.event === 'joined') see(logSeqs(frame.data as Joined));
          if (frame.event === 'message' || frame.event === 'member')
            see([(frame.data as { seq: number }).seq]);
        });
      let reader = await TestClient.connect(server.wsUrl, { token });
      record(reader);
      await reader.next('welcome');
      reader.send('join', { room: 'flood' });
      await reader.next('joined');
      for (let round = 0; round < 5; round++) {
        await seenMore(5);
        reader.socket.terminate();
        const since = seen.at(-1) ?? 0;
        reader = await TestClient.connect(server.wsUrl, { token });
        clients.push(reader);
        record(reader);
        await reader.next('welcome');
        reader.send('join', { room: 'flood', since });
        await reader.next('joined');
      }
      await seenMore(5);
      stop = true;
      await Promise.all(flooding);
      const lastSeq = seen.at(-1)!;
      await new Promise((resolve) => setTimeout(resolve, 50));

      const first = seen[0]!;
      expect(seen.length).toBeGreaterThan(20);
      expect(seen).toEqual(Array.from({ length: seen.length }, (_, i) => first + i));
      expect(seen.at(-1)).toBeGreaterThanOrEqual(lastSeq);
    });
  });
});
