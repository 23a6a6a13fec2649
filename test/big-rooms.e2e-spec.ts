import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import type { User } from '@chat/contracts';
import { startCluster, type Cluster } from './utils/cluster.js';
import { postgresAvailability } from './utils/postgres.js';
import { redisAvailability, SHARED_REDIS_URL } from './utils/redis.js';
import { describeWithService } from './utils/services.js';
import { NO_RATE_LIMITS, startApp, type TestApp } from './utils/start-app.js';
import { closeAll, TestClient } from './utils/test-client.js';

const ROOM = 'general';
/** Counts go out at most once a second; a few of those, with room for a busy machine. */
const CONVERGE_MS = 8000;

/** Guests `prefix-0`… connected to `urls` in turn and joined, `concurrency` at a time. */
async function joinMany(urls: string[], prefix: string, count: number, concurrency = 20) {
  const clients: TestClient[] = new Array<TestClient>(count);
  const users: User[] = new Array<User>(count);
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const i = next++;
      const client = await TestClient.connect(urls[i % urls.length]!, { name: `${prefix}-${i}` });
      clients[i] = client;
      users[i] = (await client.next('welcome')).user;
      client.send('join', { room: ROOM });
      await client.next('joined', undefined, 10_000);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return { clients, users };
}

/** Forgets the counts received so far: what arrives next is news. */
function forgetCounts(client: TestClient): void {
  const stale = client.pending('presence.count').length;
  for (let i = 0; i < stale; i++) void client.next('presence.count');
}

/** Resolves once `client` is told the room has `online` users. */
function countReaches(client: TestClient, online: number) {
  return client.next(
    'presence.count',
    (count) => count.room === ROOM && count.online === online,
    CONVERGE_MS,
  );
}

/** Every page of `presence.list`, `limit` at a time: the ids in the order received. */
async function pageThrough(client: TestClient, limit: number): Promise<string[]> {
  const ids: string[] = [];
  let after: string | undefined;
  do {
    client.send('presence.list', { room: ROOM, limit, ...(after !== undefined && { after }) });
    const page = await client.next('presence.page', (p) => p.room === ROOM);
    ids.push(...page.users.map((user) => user.id));
    after = page.next;
  } while (after !== undefined);
  return ids;
}

describe('a big room (PRESENCE_LIST_MAX=50)', () => {
  let server: TestApp;
  let clients: TestClient[] = [];

  beforeAll(async () => {
    server = await startApp({ ...NO_RATE_LIMITS, PRESENCE_LIST_MAX: '50', MAX_CONNECTIONS_PER_IP: '0' });
  });
  afterEach(async () => {
    await closeAll(clients.splice(0));
  });
  afterAll(async () => {
    await server.close();
  });

  it('should give a joiner of a room of 300 the count, not a 300-entry list, and page through everyone once', async () => {
    const crowd = await joinMany([server.wsUrl], 'crowd', 300);
    clients = crowd.clients;
    const welcome = await TestClient.connect(server.wsUrl, { name: 'late' });
    clients.push(welcome);
    const { user: late, limits } = await welcome.next('welcome');
    expect(limits.presenceListMax).toBe(50);
    welcome.send('join', { room: ROOM });
    await welcome.next('joined');
    expect(await welcome.next('presence.count')).toEqual({ room: ROOM, online: 301 });
    // Nothing about who: a ping is answered after anything already on its way.
    welcome.send('ping', { t: 1 });
    await welcome.next('pong');
    expect(welcome.pending('presence')).toEqual([]);
    expect(welcome.pending('presence.diff')).toEqual([]);

    // An early member, who got a list while the room was small, hears the count too.
    await countReaches(crowd.clients[0]!, 301);

    const ids = await pageThrough(welcome, 100);
    // Everyone exactly once.
    expect([...ids].sort()).toEqual([...crowd.users.map((u) => u.id), late.id].sort());
  });

  it('should bring the count down as members leave and disconnect, and answer a search', async () => {
    const crowd = await joinMany([server.wsUrl], 'churn', 120);
    clients = crowd.clients;
    const watcher = crowd.clients[119]!;
    await countReaches(watcher, 120);
    forgetCounts(watcher);

    for (const client of crowd.clients.slice(0, 30)) client.send('leave', { room: ROOM });
    await Promise.all(crowd.clients.slice(30, 60).map((client) => client.close()));
    await countReaches(watcher, 60);

    const stayed = crowd.users.slice(60).map((u) => u.id);
    expect((await pageThrough(watcher, 7)).sort()).toEqual([...stayed].sort());

    watcher.send('presence.list', { room: ROOM, q: 'CHURN-11' });
    const found = await watcher.next('presence.page');
    expect(found.users.map((u) => u.name).sort()).toEqual([
      'churn-110',
      'churn-111',
      'churn-112',
      'churn-113',
      'churn-114',
      'churn-115',
      'churn-116',
      'churn-117',
      'churn-118',
      'churn-119',
    ]);
    expect(found).toMatchObject({ online: 60, q: 'CHURN-11' });
  });

  it('should refuse the list of a room the connection is not in', async () => {
    const client = await TestClient.connect(server.wsUrl, { name: 'outsider' });
    clients.push(client);
    await client.next('welcome');
    client.send('presence.list', { room: 'elsewhere' });
    expect(await client.next('error')).toMatchObject({ code: 'forbidden', event: 'presence.list' });
  });
});

const [postgres, redis] = await Promise.all([postgresAvailability(), redisAvailability()]);
const services = {
  available: postgres.available && redis.available,
  reason: [postgres, redis].map((service) => service.reason).join(' and '),
};

describeWithService('a big room on two instances (Redis)', services, () => {
  let cluster: Cluster;
  const clients: TestClient[] = [];

  beforeAll(async () => {
    cluster = await startCluster(SHARED_REDIS_URL, 2, {
      PRESENCE_LIST_MAX: '5',
      PRESENCE_TTL_MS: '3000',
      MAX_CONNECTIONS_PER_IP: '0',
    });
  });
  afterAll(async () => {
    await closeAll(clients);
    await cluster?.stop();
  });

  it('should converge on the same count on both after joins, leaves, disconnects and a killed instance', async () => {
    const [a, b] = cluster.servers as [(typeof cluster.servers)[0], (typeof cluster.servers)[0]];
    const crowd = await joinMany([a.wsUrl, b.wsUrl], 'pair', 20, 4);
    clients.push(...crowd.clients);
    // Even indexes are on a, odd ones on b.
    const onA = crowd.clients[18]!;
    const onB = crowd.clients[19]!;
    await Promise.all([countReaches(onA, 20), countReaches(onB, 20)]);
    forgetCounts(onA);
    forgetCounts(onB);

    // Two leave and two disconnect on each instance.
    for (const i of [0, 1, 2, 3]) crowd.clients[i]!.send('leave', { room: ROOM });
    await Promise.all([4, 5, 6, 7].map((i) => crowd.clients[i]!.close()));
    await Promise.all([countReaches(onA, 12), countReaches(onB, 12)]);
    forgetCounts(onA);

    // b dies without a word: a's count drops to its own six once b's heartbeat goes stale.
    await b.kill('SIGKILL');
    await countReaches(onA, 6);
    const survivors = crowd.users.filter((_, i) => i >= 8 && i % 2 === 0).map((u) => u.id);
    expect((await pageThrough(onA, 4)).sort()).toEqual([...survivors].sort());
  });
});
