import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import type { MessagesPage } from '@chat/contracts';
import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { bearer, register } from '../utils/accounts.js';
import { startCluster, type Cluster } from '../utils/cluster.js';
import { postgresAvailability } from '../utils/postgres.js';
import { redisAvailability, SHARED_REDIS_URL } from '../utils/redis.js';
import { describeWithService } from '../utils/services.js';
import { closeAll, TestClient } from '../utils/test-client.js';

const [postgres, redis] = await Promise.all([postgresAvailability(), redisAvailability()]);
const services = {
  available: postgres.available && redis.available,
  reason: [postgres, redis].map((service) => service.reason).join(' and '),
};

const uniqueRoom = (prefix: string) => `${prefix}-${randomBytes(4).toString('hex')}`;

/** The example module apps/api/src/examples/word-filter/, on two instances sharing PostgreSQL and Redis. */
describeWithService('example: word filter + /kick, on two instances', services, () => {
  let cluster: Cluster;
  const clients: TestClient[] = [];
  const server = (i: number) => cluster.servers[i]!;

  /**
   * A registered user on instance `i`, joined to `room` (the first one creates it); `joined.lastSeq`
   * counts their own `member` entry (a first join of a public room is logged).
   */
  const member = async (i: number, room: string) => {
    const account = await register(server(i).baseUrl);
    const { client, joined } = await TestClient.joinedWith(server(i).wsUrl, room, { token: account.token });
    clients.push(client);
    return { client, joined, ...account };
  };
  /** A round trip: every frame the server sent this client before it is in the inbox. */
  const settled = async (client: TestClient) => {
    client.send('ping', {});
    await client.next('pong');
  };
  const history = async (i: number, room: string, token: string) => {
    const response = await request(server(i).baseUrl).get(`/api/rooms/${room}/messages`).set(bearer(token));
    expect(response.status).toBe(200);
    return (response.body as MessagesPage).messages.map((message) => message.text);
  };

  beforeAll(async () => {
    cluster = await startCluster(SHARED_REDIS_URL, 2, { WORD_FILTER_WORDS: 'spam, Scam' });
  });
  afterEach(async () => {
    await closeAll(clients.splice(0));
  });
  afterAll(async () => {
    await cluster?.stop();
  });

  describe('the word filter (a chat policy)', () => {
    it('should refuse a message with a configured word as forbidden with the reason, and store nothing', async () => {
      const room = uniqueRoom('filter');
      const alice = await member(0, room);
      const bob = await member(1, room);

      alice.client.send('send', { room, text: 'buy cheap SPAM now', clientId: 'w1' });
      const refusal = await alice.client.next('error');
      expect(refusal).toMatchObject({ code: 'forbidden', clientId: 'w1' });
      expect(refusal.message).toContain('"spam"');

      // Whole words only: "scampi" is fine, and is the first message anyone sees. The refusal took
      // no seq: the log goes on right after Bob's `member` entry (Alice saw it live, from B).
      const bobEntered = await alice.client.next('member');
      expect(bobEntered).toMatchObject({ user: bob.user, reason: 'joined', seq: bob.joined.lastSeq });
      alice.client.send('send', { room, text: 'scampi for lunch?', clientId: 'w2' });
      expect(await alice.client.next('ack')).toMatchObject({ clientId: 'w2', seq: bob.joined.lastSeq + 1 });
      expect((await bob.client.next('message')).text).toBe('scampi for lunch?');
      expect(await history(1, room, bob.token)).toEqual(['scampi for lunch?']);
    });

    it('should refuse on the other instance too (every instance runs the policy)', async () => {
      const room = uniqueRoom('filter-b');
      await member(0, room);
      const bob = await member(1, room);
      bob.client.send('send', { room, text: 'a scam!', clientId: 'w3' });
      expect(await bob.client.next('error')).toMatchObject({ code: 'forbidden', clientId: 'w3' });
    });
  });

  describe('/kick (a slash command on RoomModeration.remove)', () => {
    it('should remove a user connected to the other instance from the room, and nothing more of it reaches them', async () => {
      const room = uniqueRoom('kick');
      const alice = await member(0, room);
      const bob = await member(1, room);
      const carol = await member(1, room);

      alice.client.send('send', { room, text: `/kick ${bob.user.name}`, clientId: 'k1' });
      expect(await alice.client.next('notice')).toMatchObject({
        clientId: 'k1',
        text: `${bob.user.name} was removed from ${room}`,
      });
      expect(await bob.client.next('room.removed')).toEqual({ room, reason: 'kicked' });

      alice.client.send('send', { room, text: 'after the kick', clientId: 'k2' });
      await carol.client.next('message', (message) => message.clientId === 'k2');
      await settled(bob.client);
      expect(bob.client.pending('message')).toEqual([]);
      // The command itself was never stored.
      expect(await history(0, room, alice.token)).toEqual(['after the kick']);
      // Out of the room: a send there is refused until bob joins again.
      bob.client.send('send', { room, text: 'still here?', clientId: 'k3' });
      expect(await bob.client.next('error')).toMatchObject({ code: 'forbidden', clientId: 'k3' });
    });

    it('should be refused to guests, and answer an unknown name or a missing argument', async () => {
      const room = uniqueRoom('kick-refused');
      const alice = await member(0, room);
      const bob = await member(1, room);
      const guest = await TestClient.joined(server(1).wsUrl, room, { name: 'Mallory' });
      clients.push(guest);

      guest.send('send', { room, text: `/kick ${alice.user.name}`, clientId: 'g1' });
      expect(await guest.next('notice')).toMatchObject({
        clientId: 'g1',
        text: 'only registered users can kick: sign in first',
      });
      bob.client.send('send', { room, text: '/kick nobody_here_42', clientId: 'g2' });
      expect(await bob.client.next('notice')).toMatchObject({
        clientId: 'g2',
        text: 'there is no registered user named nobody_here_42',
      });
      bob.client.send('send', { room, text: '/kick', clientId: 'g3' });
      expect(await bob.client.next('notice')).toMatchObject({
        clientId: 'g3',
        text: 'usage: /kick <username>',
      });

      // Nobody was removed: alice still gets the room's messages.
      bob.client.send('send', { room, text: 'all still here', clientId: 'g4' });
      await alice.client.next('message', (message) => message.clientId === 'g4');
      expect(alice.client.pending('room.removed')).toEqual([]);
    });
  });
});
