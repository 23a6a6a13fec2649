import { afterAll, beforeAll, expect, it } from '@jest/globals';
import type { ChatMessage, User } from '@chat/contracts';
import { register } from './utils/accounts.js';
import { startCluster, type Cluster } from './utils/cluster.js';
import { postgresAvailability } from './utils/postgres.js';
import { redisServerAvailability, startOwnRedis, type OwnRedis } from './utils/redis.js';
import { describeWithService } from './utils/services.js';
import { closeAll, TestClient } from './utils/test-client.js';

const postgres = await postgresAvailability();
const redisServer = redisServerAvailability();
const services = {
  available: postgres.available && redisServer.available,
  reason: [postgres, redisServer].map((service) => service.reason).join(' and '),
};

const sorted = (users: User[]) => users.map((u) => u.name).sort();

describeWithService('a Redis restart in the middle of a conversation', services, () => {
  let redis: OwnRedis;
  let cluster: Cluster;
  const clients: TestClient[] = [];

  beforeAll(async () => {
    // Our own redis-server on a free port: the machine's shared one is never disturbed.
    redis = await startOwnRedis();
    cluster = await startCluster(redis.url, 2, { PRESENCE_TTL_MS: '3000' });
  });
  afterAll(async () => {
    await closeAll(clients);
    await cluster?.stop();
    await redis?.stop();
  });

  it('should keep each instance serving, resubscribe by itself, and let clients catch up on what they missed', async () => {
    const [a, b] = cluster.servers as [(typeof cluster.servers)[0], (typeof cluster.servers)[0]];
    const room = 'general';
    const { token, user } = await register(a.baseUrl);
    const alice = await TestClient.joined(a.wsUrl, room, { token });
    const bob = await TestClient.joined(b.wsUrl, room, { name: 'Bob' });
    clients.push(alice, bob);
    await alice.next('presence.diff');
    const received = new Map<TestClient, ChatMessage[]>([
      [alice, []],
      [bob, []],
    ]);
    let sent = 0;
    /** Sends `count` messages from `client`, one every few ms; resolves with the last one's seq once all are acked. */
    const post = async (client: TestClient, label: string, count: number) => {
      for (let i = 0; i < count; i++) {
        client.send('send', { room, text: `${label} ${i}`, clientId: `${label}-${i}` });
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      const acks = await client.take('ack', count, 10_000);
      sent += count;
      return Math.max(...acks.map((ack) => ack.seq));
    };
    /** Waits until `client` has seen `total` messages. */
    const receive = async (client: TestClient, total: number, timeoutMs = 10_000) => {
      const list = received.get(client)!;
      while (list.length < total) list.push(await client.next('message', undefined, timeoutMs));
    };

    // Redis up: both directions work.
    await Promise.all([post(alice, 'a1', 10), post(bob, 'b1', 10)]);
    await Promise.all([receive(alice, sent), receive(bob, sent)]);

    // Redis goes away mid-traffic. Each instance keeps storing and acknowledging its clients'
    // messages, and its clients keep seeing everything up to their own latest: the other
    // instance's messages in between are read from the store when the seq gap shows.
    const during = Promise.all([post(alice, 'a2', 20), post(bob, 'b2', 20)]);
    await new Promise((resolve) => setTimeout(resolve, 30));
    await redis.stop();
    const [aliceLast, bobLast] = await during;
    await Promise.all([receive(alice, aliceLast), receive(bob, bobLast)]);

    // Only Bob talks now: Alice's instance cannot know until Redis is back.
    await post(bob, 'b3', 5);
    await receive(bob, sent);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(alice.pending('message')).toEqual([]);
    expect(received.get(alice)!.length).toBeLessThan(sent);

    // Redis comes back (empty): the instances reconnect and resubscribe by themselves, and
    // Alice gets what she missed without anyone sending anything.
    await redis.start();
    await receive(alice, sent, 15_000);

    // Live traffic crosses instances again, and presence was rebuilt in the new Redis.
    await Promise.all([post(alice, 'a4', 5), post(bob, 'b4', 5)]);
    await Promise.all([receive(alice, sent), receive(bob, sent)]);
    const carol = await TestClient.connect(b.wsUrl, { name: 'Carol' });
    clients.push(carol);
    await carol.next('welcome');
    carol.send('join', { room });
    const presence = await carol.next('presence');
    expect(sorted(presence.users)).toEqual(['Bob', 'Carol', user.name].sort());
    // Rebuilt without flicker: nobody was seen leaving.
    const diffs = alice.pending('presence.diff') as { left: User[] }[];
    expect(diffs.flatMap((diff) => diff.left)).toEqual([]);

    // Nothing lost, nothing twice, same order for both.
    const seqs = Array.from({ length: sent }, (_, i) => i + 1);
    expect(received.get(alice)!.map((m) => m.seq)).toEqual(seqs);
    expect(received.get(bob)!.map((m) => m.seq)).toEqual(seqs);
  });
});
