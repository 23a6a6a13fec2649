import { afterAll, beforeAll, expect, it } from '@jest/globals';
import type { ChatMessage, MessagesPage } from '@chat/contracts';
import request from 'supertest';
import { bearer, register } from './utils/accounts.js';
import { createTestDatabase, postgresAvailability, type TestDatabase } from './utils/postgres.js';
import { startServerProcess, type ServerProcess } from './utils/server-process.js';
import { NO_RATE_LIMITS } from './utils/start-app.js';
import { describeWithService } from './utils/services.js';
import { closeAll, TestClient } from './utils/test-client.js';

const postgres = await postgresAvailability();

describeWithService('two server processes writing to one PostgreSQL database', postgres, () => {
  let database: TestDatabase;
  const servers: ServerProcess[] = [];

  beforeAll(async () => {
    database = await createTestDatabase();
    const env = {
      DATABASE_URL: database.url,
      JWT_SECRET: 'concurrency-test-secret-0123456789abcdef',
      ...NO_RATE_LIMITS,
    };
    // Started together: the migrations must cope with a race too.
    servers.push(...(await Promise.all([startServerProcess(env), startServerProcess(env)])));
  });
  afterAll(async () => {
    await Promise.all(servers.map((server) => server.kill('SIGTERM')));
    await database?.drop();
  });

  it('should give concurrent posts gap-free, unique seqs and store each clientId once', async () => {
    const { token } = await register(servers[0]!.baseUrl);
    const clients = await Promise.all(
      Array.from({ length: 8 }, (_, i) => TestClient.joined(servers[i % 2]!.wsUrl, 'general', { token })),
    );
    const PER_CLIENT = 60;
    // Every client sends its messages at once, and half of them twice (a retry storm).
    clients.forEach((client, c) => {
      for (let i = 0; i < PER_CLIENT; i++) {
        const message = { room: 'general', text: `c${c}-${i}`, clientId: `c${c}-${i}` };
        client.send('send', message);
        if (i % 2 === 0) client.send('send', message);
      }
    });
    const acks = (
      await Promise.all(clients.map((client) => client.take('ack', PER_CLIENT * 1.5, 20_000)))
    ).flat();
    await closeAll(clients);

    const bySeq = new Map<number, string>();
    for (const ack of acks) {
      const previous = bySeq.get(ack.seq);
      // A seq is never given to two different messages.
      expect(previous === undefined || previous === ack.clientId).toBe(true);
      bySeq.set(ack.seq, ack.clientId);
    }
    const stored: ChatMessage[] = [];
    for (let before: number | undefined; ;) {
      const query = before ? `?limit=100&before=${before}` : '?limit=100';
      const page = (
        await request(servers[1]!.baseUrl).get(`/api/rooms/general/messages${query}`).set(bearer(token))
      ).body as MessagesPage;
      stored.unshift(...page.messages);
      if (!page.hasMore) break;
      before = page.messages[0]!.seq;
    }
    const total = clients.length * PER_CLIENT;
    expect(stored.map((m) => m.seq)).toEqual(Array.from({ length: total }, (_, i) => i + 1));
    expect(new Set(stored.map((m) => m.clientId)).size).toBe(total);
    // Each client's own messages were stored in the order it sent them.
    for (let c = 0; c < clients.length; c++) {
      const mine = stored
        .filter((m) => m.clientId!.startsWith(`c${c}-`))
        .map((m) => Number(m.clientId!.split('-')[1]));
      expect(mine).toEqual(Array.from({ length: PER_CLIENT }, (_, i) => i));
    }
  });
});
