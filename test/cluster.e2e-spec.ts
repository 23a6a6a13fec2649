import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import type { ChatMessage, User } from '@chat/contracts';
import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { PRESENCE_BATCH_MS } from '../apps/api/src/chat/presence-fanout.js';
import { bearer, register } from './utils/accounts.js';
import { startCluster, type Cluster } from './utils/cluster.js';
import { postgresAvailability } from './utils/postgres.js';
import { redisAvailability, SHARED_REDIS_URL } from './utils/redis.js';
import { seqsAfter } from './utils/room-log.js';
import { describeWithService } from './utils/services.js';
import { closeAll, TestClient } from './utils/test-client.js';

const [postgres, redis] = await Promise.all([postgresAvailability(), redisAvailability()]);
const services = {
  available: postgres.available && redis.available,
  reason: [postgres, redis].map((service) => service.reason).join(' and '),
};

const uniqueRoom = (prefix: string) => `${prefix}-${randomBytes(4).toString('hex')}`;
const byId = (users: User[]) => [...users].sort((a, b) => a.id.localeCompare(b.id));

describeWithService('two instances sharing PostgreSQL and Redis', services, () => {
  let cluster: Cluster;
  const clients: TestClient[] = [];
  const server = (i: number) => cluster.servers[i]!;

  /**
   * A registered user's connection on instance `i`, already in `room` (which it creates): with
   * the `joined` frame, whose `lastSeq` counts the creation's `member` entry.
   */
  const owner = async (i: number, room: string) => {
    const { token, user } = await register(server(i).baseUrl);
    const { client, joined } = await TestClient.joinedWith(server(i).wsUrl, room, { token });
    clients.push(client);
    return { client, user, token, joined };
  };
  /** A guest's connection on instance `i`, in `room`, with the presence list it got. */
  const guest = async (i: number, room: string, name: string) => {
    const client = await TestClient.connect(server(i).wsUrl, { name });
    clients.push(client);
    const { user } = await client.next('welcome');
    client.send('join', { room });
    const joined = await client.next('joined', (data) => data.room === room);
    const presence = await client.next('presence', (data) => data.room === room);
    return { client, user, joined, users: presence.users };
  };

  beforeAll(async () => {
    cluster = await startCluster(SHARED_REDIS_URL, 2);
  });
  afterEach(async () => {
    await closeAll(clients.splice(0));
  });
  afterAll(async () => {
    await cluster?.stop();
  });

  describe('chat', () => {
    it('should let clients on A and B chat in one room and see every message once, in the same order', async () => {
      const room = uniqueRoom('chat');
      const alice = await owner(0, room);
      const bob = await guest(1, room, 'Bob');
      const carol = await guest(0, room, 'Carol');
      const PER_SENDER = 30;
      const senders = [alice.client, bob.client, carol.client];
      // Everyone posts at once, so that the instances' appends interleave in the database.
      senders.forEach((client, s) => {
        for (let i = 0; i < PER_SENDER; i++)
          client.send('send', { room, text: `s${s}-${i}`, clientId: `s${s}-${i}` });
      });
      const total = senders.length * PER_SENDER;
      const seen = await Promise.all(senders.map((client) => client.take('message', total, 15_000)));

      // Guests' tokenless joins log nothing: the messages are the log's next `total` entries.
      const expectedSeqs = seqsAfter(alice.joined.lastSeq, total);
      for (const messages of seen) expect(messages.map((m) => m.seq)).toEqual(expectedSeqs);
      expect(seen[1]!.map((m) => m.id)).toEqual(seen[0]!.map((m) => m.id));
      expect(seen[2]!.map((m) => m.id)).toEqual(seen[0]!.map((m) => m.id));
    });

    it('should pass typing notices between instances', async () => {
      const room = uniqueRoom('typing');
      const alice = await owner(0, room);
      const bob = await guest(1, room, 'Bob');
      bob.client.send('typing', { room });
      expect(await alice.client.next('typing')).toEqual({ room, user: bob.user });
    });

    it('should resume on the other instance with nothing lost or doubled', async () => {
      const room = uniqueRoom('resume');
      const alice = await owner(0, room);
      const bob = await guest(1, room, 'Bob');
      for (let i = 0; i < 5; i++) bob.client.send('send', { room, text: `before ${i}`, clientId: `b${i}` });
      const before = await alice.client.take('message', 5);
      const lastSeq = before.at(-1)!.seq;
      await alice.client.close();

      for (let i = 0; i < 7; i++) bob.client.send('send', { room, text: `missed ${i}`, clientId: `m${i}` });
      await bob.client.take('ack', 12);

      // Alice comes back through the other instance, as a load balancer may send her.
      const again = await TestClient.connect(server(1).wsUrl, { token: alice.token });
      clients.push(again);
      await again.next('welcome');
      again.send('join', { room, since: lastSeq });
      const joined = await again.next('joined');
      bob.client.send('send', { room, text: 'live', clientId: 'live' });
      const live = await again.next('message');

      const seqs = [...before, ...joined.messages, live].map((m: ChatMessage) => m.seq);
      expect(seqs).toEqual(seqsAfter(alice.joined.lastSeq, 13));
      // Alice was a member already and Bob is a tokenless guest: no change was logged meanwhile.
      expect(joined.changes ?? []).toEqual([]);
      expect(joined.messages.map((m) => m.text)).toEqual(Array.from({ length: 7 }, (_, i) => `missed ${i}`));
    });
  });

  describe('presence', () => {
    const onlineIn = async (i: number, room: string, token: string) => {
      const response = await request(server(i).baseUrl).get('/api/rooms').set(bearer(token));
      return (response.body.rooms as { name: string; online: number }[]).find((r) => r.name === room)?.online;
    };

    it('should show who is online on either instance, counting a user once', async () => {
      const room = uniqueRoom('here');
      const alice = await owner(0, room);
      const bob = await guest(1, room, 'Bob');
      expect(byId(bob.users)).toEqual(byId([alice.user, bob.user]));
      expect(await alice.client.next('presence.diff')).toEqual({ room, joined: [bob.user], left: [] });
      expect(await onlineIn(0, room, alice.token)).toBe(2);
      expect(await onlineIn(1, room, alice.token)).toBe(2);

      // Alice opens a second tab through B, then closes her first one on A: she never left.
      const tab = await TestClient.connect(server(1).wsUrl, { token: alice.token });
      clients.push(tab);
      await tab.next('welcome');
      tab.send('join', { room });
      await tab.next('presence');
      await alice.client.close();
      // A diff would wait up to a presence batch; the barrier message comes after anything sent by then.
      await new Promise((resolve) => setTimeout(resolve, PRESENCE_BATCH_MS));
      bob.client.send('send', { room, text: 'barrier', clientId: 'barrier' });
      await bob.client.next('message');
      expect(bob.client.pending('presence.diff')).toEqual([]);

      await tab.close();
      expect(await bob.client.next('presence.diff')).toEqual({ room, joined: [], left: [alice.user] });
      expect(await onlineIn(1, room, alice.token)).toBe(1);
    });

    it('should tell the others when a user leaves on one instance', async () => {
      const room = uniqueRoom('leave');
      const alice = await owner(0, room);
      const bob = await guest(1, room, 'Bob');
      await alice.client.next('presence.diff');
      bob.client.send('leave', { room });
      expect(await alice.client.next('presence.diff')).toEqual({ room, joined: [], left: [bob.user] });
    });
  });
});
