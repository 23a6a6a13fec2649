import { afterAll, beforeAll, expect, it } from '@jest/globals';
import type { Ack, ChatMessage, MessagesPage } from '@chat/contracts';
import request from 'supertest';
import { bearer, register } from './utils/accounts.js';
import { startCluster, type Cluster } from './utils/cluster.js';
import { postgresAvailability } from './utils/postgres.js';
import { redisAvailability, SHARED_REDIS_URL } from './utils/redis.js';
import { describeWithService } from './utils/services.js';
import { closeAll, TestClient } from './utils/test-client.js';

const [postgres, redis] = await Promise.all([postgresAvailability(), redisAvailability()]);
const services = {
  available: postgres.available && redis.available,
  reason: [postgres, redis].map((service) => service.reason).join(' and '),
};

/** Short, so that the test runs fast; the default is 30 s. */
const PRESENCE_TTL_MS = 3000;

describeWithService('an instance killed with SIGKILL', services, () => {
  let cluster: Cluster;
  const clients: TestClient[] = [];

  beforeAll(async () => {
    cluster = await startCluster(SHARED_REDIS_URL, 2, { PRESENCE_TTL_MS: String(PRESENCE_TTL_MS) });
  });
  afterAll(async () => {
    await closeAll(clients);
    await cluster?.stop();
  });

  it('should drop its users from presence within the TTL; its clients resume on the other with nothing lost or doubled', async () => {
    const [doomed, survivor] = cluster.servers as [(typeof cluster.servers)[0], (typeof cluster.servers)[0]];
    const room = 'general';
    const alice = await register(doomed.baseUrl);
    const aliceClient = await TestClient.joined(doomed.wsUrl, room, { token: alice.token });
    const bob = await TestClient.connect(survivor.wsUrl, { name: 'Bob' });
    clients.push(aliceClient, bob);
    await bob.next('welcome');
    bob.send('join', { room });
    await bob.next('presence');
    await aliceClient.next('presence.diff');

    // Alice's client keeps what it saw and an outbox of what is not acknowledged yet.
    const seen = new Map<number, ChatMessage>();
    const outbox = new Map<string, string>();
    const acks: Ack[] = [];
    const SENT = 40;
    for (let i = 0; i < SENT; i++) {
      const clientId = `a${i}`;
      outbox.set(clientId, `alice ${i}`);
      aliceClient.send('send', { room, text: `alice ${i}`, clientId });
    }
    // Some are acknowledged, the rest are in flight when the instance dies.
    for (let i = 0; i < 10; i++) acks.push(await aliceClient.next('ack'));
    await doomed.kill('SIGKILL');
    const killedAt = Date.now();
    await aliceClient.closed;
    acks.push(...(aliceClient.pending('ack') as Ack[]));
    for (const ack of acks) outbox.delete(ack.clientId);
    for (const message of aliceClient.pending('message') as ChatMessage[]) seen.set(message.seq, message);
    const lastSeq = Math.max(0, ...seen.keys());

    // Bob, on the survivor, sees her leave once her instance's heartbeat goes stale.
    const diff = await bob.next('presence.diff', (d) => d.left.length > 0, PRESENCE_TTL_MS + 2000);
    expect(diff).toEqual({ room, joined: [], left: [alice.user] });
    const detectedAfter = Date.now() - killedAt;
    expect(detectedAfter).toBeLessThan(PRESENCE_TTL_MS);
    console.log(`presence dropped ${detectedAfter} ms after the kill`);

    // Her client reconnects through the survivor, resumes, and resends what was not acknowledged.
    const again = await TestClient.connect(survivor.wsUrl, { token: alice.token });
    clients.push(again);
    await again.next('welcome');
    again.send('join', { room, since: lastSeq });
    const joined = await again.next('joined');
    for (const message of joined.messages) {
      expect(seen.has(message.seq)).toBe(false); // nothing twice
      seen.set(message.seq, message);
    }
    for (const [clientId, text] of outbox) again.send('send', { room, text, clientId });
    for (const ack of await again.take('ack', outbox.size)) acks.push(ack);
    // Resent messages that the dead instance had stored already come back as their first ack
    // (and were in `joined`); the others arrive live.
    while (acks.some((ack) => !seen.has(ack.seq))) {
      const message = await again.next('message');
      expect(seen.has(message.seq)).toBe(false);
      seen.set(message.seq, message);
    }

    // Every message she wrote is stored exactly once, and she has seen every stored one once.
    const page = (
      await request(survivor.baseUrl).get(`/api/rooms/${room}/messages?limit=100`).set(bearer(alice.token))
    ).body as MessagesPage;
    expect(page.messages.map((m) => m.text).sort()).toEqual(
      Array.from({ length: SENT }, (_, i) => `alice ${i}`).sort(),
    );
    expect([...seen.keys()].sort((a, b) => a - b)).toEqual(page.messages.map((m) => m.seq));
    expect(new Set(acks.map((ack) => ack.seq)).size).toBe(SENT);
  });
});
