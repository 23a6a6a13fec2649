import { afterAll, afterEach, beforeAll, expect, it } from '@jest/globals';
import type { AuthResponse } from '@chat/contracts';
import { randomBytes } from 'node:crypto';
import { register } from './utils/accounts.js';
import { startCluster, type Cluster } from './utils/cluster.js';
import { membershipApi } from './utils/membership.js';
import { postgresAvailability } from './utils/postgres.js';
import { redisAvailability, SHARED_REDIS_URL } from './utils/redis.js';
import { describeWithService } from './utils/services.js';
import { closeAll, TestClient } from './utils/test-client.js';

const [postgres, redis] = await Promise.all([postgresAvailability(), redisAvailability()]);
const services = {
  available: postgres.available && redis.available,
  reason: [postgres, redis].map((service) => service.reason).join(' and '),
};
const uniqueRoom = (prefix: string) => `${prefix}-${randomBytes(4).toString('hex')}`;

/** A moderator on instance A, the target on instance B: removals take effect on every instance at once. */
describeWithService('membership across two instances (PostgreSQL + Redis)', services, () => {
  let cluster: Cluster;
  let moderator: AuthResponse;
  let target: AuthResponse;
  const clients: TestClient[] = [];
  const a = () => cluster.servers[0]!;
  const b = () => cluster.servers[1]!;
  const joined = async (wsUrl: string, token: string, room: string) => {
    const client = await TestClient.joined(wsUrl, room, { token });
    clients.push(client);
    return client;
  };

  beforeAll(async () => {
    cluster = await startCluster(SHARED_REDIS_URL, 2);
    moderator = await register(a().baseUrl);
    target = await register(b().baseUrl);
  });
  afterEach(async () => {
    await closeAll(clients.splice(0));
  });
  afterAll(async () => {
    await cluster?.stop();
  });

  /** Proves that nothing of `room` reached `client` after the removal: a later message elsewhere arrives first. */
  async function expectNothingMoreFrom(room: string, client: TestClient, writer: TestClient) {
    writer.send('send', { room, text: 'after the removal', clientId: `after-${room}` });
    await writer.next('ack', (ack) => ack.clientId === `after-${room}`);
    writer.send('send', { room: 'general', text: 'a sentinel', clientId: `sentinel-${room}` });
    await client.next('message', (m) => m.clientId === `sentinel-${room}`, 5000);
    expect(client.pending('message').filter((m) => (m as { room: string }).room === room)).toEqual([]);
  }

  it('should kick a user on B from A: room.removed on every tab, nothing more of the room, a public room joinable again', async () => {
    const room = uniqueRoom('kick');
    expect((await membershipApi(a().baseUrl, moderator.token).createRoom(room)).status).toBe(201);
    const writer = await joined(a().wsUrl, moderator.token, room);
    writer.send('join', { room: 'general' });
    await writer.next('joined', (j) => j.room === 'general');
    const tab = await joined(b().wsUrl, target.token, room);
    tab.send('join', { room: 'general' });
    await tab.next('joined', (j) => j.room === 'general');
    const otherTab = await joined(a().wsUrl, target.token, 'general');

    expect((await membershipApi(a().baseUrl, moderator.token).remove(room, target.user.name)).status).toBe(
      204,
    );
    expect(await tab.next('room.removed', undefined, 5000)).toEqual({ room, reason: 'kicked' });
    expect(await otherTab.next('room.removed', undefined, 5000)).toEqual({ room, reason: 'kicked' });
    await expectNothingMoreFrom(room, tab, writer);
    expect((await membershipApi(b().baseUrl, target.token).myRooms()).has(room)).toBe(false);

    tab.send('join', { room });
    expect((await tab.next('joined', (j) => j.room === room)).room).toBe(room);
  });

  it('should ban a user on B from A: room.removed banned, nothing more of the room, every later join refused', async () => {
    const room = uniqueRoom('ban');
    await membershipApi(a().baseUrl, moderator.token).createRoom(room, 'private');
    await membershipApi(a().baseUrl, moderator.token).add(room, target.user.name);
    const writer = await joined(a().wsUrl, moderator.token, room);
    writer.send('join', { room: 'general' });
    await writer.next('joined', (j) => j.room === 'general');
    const tab = await joined(b().wsUrl, target.token, room);
    tab.send('join', { room: 'general' });
    await tab.next('joined', (j) => j.room === 'general');

    expect((await membershipApi(a().baseUrl, moderator.token).ban(room, target.user.name)).status).toBe(201);
    expect(await tab.next('room.removed', undefined, 5000)).toEqual({ room, reason: 'banned' });
    await expectNothingMoreFrom(room, tab, writer);

    tab.send('join', { room });
    expect(await tab.next('error', undefined, 5000)).toMatchObject({ code: 'forbidden', event: 'join' });
    // A reconnect is refused too: the ban is in the store, not in the connection.
    const fresh = await TestClient.connect(b().wsUrl, { token: target.token });
    clients.push(fresh);
    await fresh.next('welcome');
    fresh.send('join', { room });
    expect(await fresh.next('error', undefined, 5000)).toMatchObject({ code: 'forbidden' });
    expect((await membershipApi(b().baseUrl, target.token).messages(room)).status).toBe(403);
  });

  it('should move a read marker on B and tell the same user on A', async () => {
    const room = uniqueRoom('read');
    await membershipApi(a().baseUrl, moderator.token).createRoom(room);
    const writer = await joined(a().wsUrl, moderator.token, room);
    const laptop = await TestClient.connect(a().wsUrl, { token: target.token });
    clients.push(laptop);
    await laptop.next('welcome');
    // Joining a public room on B makes the user a member: the laptop on A hears it.
    const phone = await joined(b().wsUrl, target.token, room);
    await laptop.next('room.added', (added) => added.room.name === room, 5000);
    writer.send('send', { room, text: 'read me', clientId: 'read-1' });
    const ack = await writer.next('ack');
    await phone.next('message', (m) => m.clientId === 'read-1', 5000);
    phone.send('read', { room, seq: ack.seq });
    expect(await laptop.next('read', undefined, 5000)).toEqual({ room, seq: ack.seq });
  });
});
