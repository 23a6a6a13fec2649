import { afterAll, afterEach, beforeAll, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { register } from './utils/accounts.js';
import { startCluster, type Cluster } from './utils/cluster.js';
import { postgresAvailability } from './utils/postgres.js';
import { sample } from './utils/raw-http.js';
import { redisAvailability, SHARED_REDIS_URL } from './utils/redis.js';
import { seqRange } from './utils/room-log.js';
import { startServerProcess, type ServerProcess } from './utils/server-process.js';
import { describeWithService } from './utils/services.js';
import { closeAll, TestClient } from './utils/test-client.js';

const [postgres, redis] = await Promise.all([postgresAvailability(), redisAvailability()]);
const services = {
  available: postgres.available && redis.available,
  reason: [postgres, redis].map((service) => service.reason).join(' and '),
};

const uniqueRoom = (prefix: string) => `${prefix}-${randomBytes(4).toString('hex')}`;
const ROOM_EVENTS = 'chat_bus_events_received_total{channel="room"}';
const ROOMS_WATCHED = 'chat_bus_topics_watched{kind="room"}';
const PRESENCE_EVENTS = 'chat_bus_presence_events_received_total{channel="room"}';
const PRESENCE_ALL = 'chat_bus_presence_events_received_total{channel="all"}';

async function metric(server: ServerProcess, name: string): Promise<number> {
  const response = await request(server.baseUrl).get('/metrics').expect(200);
  return sample(response.text, name);
}

/** Sends `count` messages to `room`, at most `window` unacknowledged; resolves with their seqs. */
async function post(client: TestClient, room: string, count: number, tag: string, window = 10) {
  const seqs: number[] = [];
  for (let sent = 0; sent < count; sent += window) {
    const batch = Math.min(window, count - sent);
    for (let i = 0; i < batch; i++)
      client.send('send', { room, text: `${tag} ${sent + i}`, clientId: `${tag}-${sent + i}` });
    for (let i = 0; i < batch; i++) seqs.push((await client.next('ack', (ack) => ack.room === room)).seq);
  }
  return seqs;
}

/** Everything a member of `room` has been sent, from its `joined` page on, as seqs. */
async function seqsUntil(
  client: TestClient,
  room: string,
  fromSeq: number,
  lastSeq: number,
): Promise<number[]> {
  const seqs: number[] = [];
  while (seqs.at(-1) !== lastSeq) {
    const message = await client.next('message', (data) => data.room === room, 15_000);
    if (message.seq > fromSeq) seqs.push(message.seq);
  }
  return seqs;
}

describeWithService('instances hear only their rooms', services, () => {
  let cluster: Cluster;
  const clients: TestClient[] = [];
  const server = (i: number) => cluster.servers[i]!;

  /** A registered user on instance `i`, in each of `rooms` (created by joining). */
  const owner = async (i: number, ...rooms: string[]) => {
    const { token } = await register(server(i).baseUrl);
    const client = await TestClient.connect(server(i).wsUrl, { token });
    clients.push(client);
    await client.next('welcome');
    const lastSeqs: number[] = [];
    for (const room of rooms) {
      client.send('join', { room });
      lastSeqs.push((await client.next('joined', (data) => data.room === room)).lastSeq);
    }
    return { client, lastSeqs };
  };
  const guest = async (i: number, room: string, since?: number, name = 'Guest') => {
    const client = await TestClient.connect(server(i).wsUrl, { name });
    clients.push(client);
    await client.next('welcome');
    client.send('join', { room, ...(since !== undefined && { since }) });
    const joined = await client.next('joined', (data) => data.room === room);
    return { client, joined };
  };

  beforeAll(async () => {
    cluster = await startCluster(SHARED_REDIS_URL, 3);
  });
  afterEach(async () => {
    await closeAll(clients.splice(0));
  });
  afterAll(async () => {
    await cluster?.stop();
  });

  it('should not parse a single event of a room on an instance where nobody is in it', async () => {
    const busy = uniqueRoom('busy');
    const quiet = uniqueRoom('quiet');
    const { client: alice } = await owner(0, busy, quiet);
    const { client: bob } = await guest(1, quiet); // instance 1 has quiet only; instance 2 nothing
    const before = await Promise.all([0, 1, 2].map((i) => metric(server(i), ROOM_EVENTS)));

    await post(alice, busy, 50, 'busy');
    // One publisher connection, one Redis: once instance 1 has quiet's message, busy's 50 were
    // published before it and would have been delivered before it too.
    const [marker] = await post(alice, quiet, 1, 'quiet');
    expect((await bob.next('message', (m) => m.room === quiet)).seq).toBe(marker);

    const after = await Promise.all([0, 1, 2].map((i) => metric(server(i), ROOM_EVENTS)));
    expect(after[0]! - before[0]!).toBe(0); // its own events never come back parsed
    expect(after[1]! - before[1]!).toBe(1); // quiet's message, none of busy's 50
    expect(after[2]! - before[2]!).toBe(0);
    expect(await metric(server(1), ROOMS_WATCHED)).toBe(1);
  });

  it('should give a late joiner on another instance every message exactly once, in order', async () => {
    const room = uniqueRoom('late');
    const { client: alice } = await owner(0, room);
    const posting = post(alice, room, 300, 'flow');
    // Instance 2 starts hearing the room in the middle of the flow.
    await alice.next('message', (m) => m.room === room && m.text === 'flow 30');
    const { client: late, joined } = await guest(2, room);
    const seqs = await posting;
    const last = seqs.at(-1)!;
    expect(joined.lastSeq).toBeLessThan(last);
    const live = await seqsUntil(late, room, joined.lastSeq, last);
    expect([...joined.messages.map((m) => m.seq), ...live]).toEqual(
      seqRange(joined.messages[0]?.seq ?? joined.lastSeq + 1, last),
    );
  });

  it('should resume exactly on a restarted instance, which hears its rooms again', async () => {
    const room = uniqueRoom('restart');
    const { client: alice } = await owner(0, room);
    const { client: bob, joined } = await guest(1, room);
    const before = await post(alice, room, 20, 'before');
    const heard = await seqsUntil(bob, room, joined.lastSeq, before.at(-1)!);
    expect(heard).toEqual(before);

    await server(1).kill('SIGTERM');
    const during = await post(alice, room, 20, 'during');
    cluster.servers[1] = await startServerProcess(cluster.env);
    const resumed = await guest(1, room, heard.at(-1));
    const after = await post(alice, room, 20, 'after');
    const live = await seqsUntil(resumed.client, room, resumed.joined.lastSeq, after.at(-1)!);
    expect([...resumed.joined.messages.map((m) => m.seq), ...live]).toEqual([...during, ...after]);
    expect(await metric(server(1), ROOMS_WATCHED)).toBe(1);
  });

  it('should not parse a presence change of a room on an instance where nobody is in it', async () => {
    const busy = uniqueRoom('pbusy');
    const quiet = uniqueRoom('pquiet');
    await owner(0, busy, quiet);
    const { client: bob } = await guest(1, quiet, undefined, 'Bob');
    const { client: carol } = await guest(2, quiet, undefined, 'Carol');
    // Carol's arrival reached bob (in his list or after it) before counting starts.
    const bobs = await bob.next('presence', (p) => p.room === quiet);
    if (!bobs.users.some((u) => u.name === 'Carol')) await bob.next('presence.diff', (d) => d.room === quiet);
    await carol.next('presence', (p) => p.room === quiet);
    const count = (name: string) => Promise.all([1, 2].map((i) => metric(server(i), name)));
    const [before, beforeAll] = await Promise.all([count(PRESENCE_EVENTS), count(PRESENCE_ALL)]);

    for (let i = 0; i < 5; i++) await (await guest(0, busy, undefined, `Churn ${i}`)).client.close();
    // Published after busy's ten changes by the same instance over the same Redis: seen last.
    await guest(0, quiet, undefined, 'Dave');
    await Promise.all(
      [bob, carol].map((c) =>
        c.next('presence.diff', (d) => d.room === quiet && d.joined.some((u) => u.name === 'Dave')),
      ),
    );

    const [after, afterAll] = await Promise.all([count(PRESENCE_EVENTS), count(PRESENCE_ALL)]);
    expect(after.map((n, i) => n - before[i]!)).toEqual([1, 1]); // dave in quiet, nothing of busy
    expect(afterAll).toEqual(beforeAll);
  });

  it('should give the first member on an instance the room’s presence from the others, and count it for the directory elsewhere', async () => {
    const room = uniqueRoom('pfirst');
    await owner(0, room);
    await guest(1, room, undefined, 'Bob');
    // Instance 2 hears nothing of the room: its directory counts it from Redis.
    const { token } = await register(server(2).baseUrl);
    const listed = await request(server(2).baseUrl)
      .get(`/api/rooms?q=${room}`)
      .set('authorization', `Bearer ${token}`)
      .expect(200);
    expect(listed.body.rooms.map((r: { name: string; online: number }) => [r.name, r.online])).toEqual([
      [room, 2],
    ]);

    const { client: carol } = await guest(2, room, undefined, 'Carol');
    const list = await carol.next('presence', (p) => p.room === room);
    expect(list.users).toHaveLength(3);
  });
});
