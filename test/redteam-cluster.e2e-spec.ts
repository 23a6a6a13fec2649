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

/**
 * Red team on the write-access cache (MembershipPermissions remembers a sender's standing): a
 * mute made on instance A must hold on instance B, where the member's earlier sends filled it.
 */
describeWithService('a remembered standing across two instances (PostgreSQL + Redis)', services, () => {
  let cluster: Cluster;
  let owner: AuthResponse;
  let member: AuthResponse;
  const clients: TestClient[] = [];

  beforeAll(async () => {
    cluster = await startCluster(SHARED_REDIS_URL, 2);
    owner = await register(cluster.servers[0]!.baseUrl);
    member = await register(cluster.servers[1]!.baseUrl);
  });
  afterEach(async () => {
    await closeAll(clients.splice(0));
  });
  afterAll(async () => {
    await cluster?.stop();
  });

  it('should refuse a send on B once the mute made on A is in the room log B delivered', async () => {
    const room = uniqueRoom('remembered');
    const api = membershipApi(cluster.servers[0]!.baseUrl, owner.token);
    expect((await api.createRoom(room)).status).toBe(201);
    const tab = await TestClient.joined(cluster.servers[1]!.wsUrl, room, { token: member.token });
    clients.push(tab);
    for (const clientId of ['before-1', 'before-2']) {
      tab.send('send', { room, text: 'allowed', clientId });
      await tab.next('ack', (ack) => ack.clientId === clientId);
    }
    expect((await api.mute(room, member.user.name)).status).toBe(201);
    // The same bus message that tells B's permissions also brings this entry of the log.
    await tab.next('member', (m) => m.reason === 'muted' && m.user.id === member.user.id, 5000);
    tab.send('send', { room, text: 'muted now', clientId: 'after' });
    expect(await tab.next('error', (e) => e.clientId === 'after')).toMatchObject({ code: 'forbidden' });
    expect((await api.unmute(room, member.user.name)).status).toBe(204);
    await tab.next('member', (m) => m.reason === 'unmuted', 5000);
    tab.send('send', { room, text: 'allowed again', clientId: 'again' });
    expect((await tab.next('ack', (ack) => ack.clientId === 'again')).clientId).toBe('again');
  });
});
