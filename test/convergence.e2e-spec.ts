import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { randomBytes, randomUUID } from 'node:crypto';
import type { ChatMessage, ClientEventMap, Joined } from '@chat/contracts';
import { register } from './utils/accounts.js';
import { startCluster, type Cluster } from './utils/cluster.js';
import { postgresAvailability } from './utils/postgres.js';
import { redisAvailability, SHARED_REDIS_URL } from './utils/redis.js';
import { applyFrame, emptyView, renderView, type RoomView } from './utils/room-view.js';
import { describeWithService } from './utils/services.js';
import { closeAll, TestClient } from './utils/test-client.js';

const [postgres, redis] = await Promise.all([postgresAvailability(), redisAvailability()]);
const services = {
  available: postgres.available && redis.available,
  reason: [postgres, redis].map((service) => service.reason).join(' and '),
};

const SEED = Number(process.env.CONVERGENCE_SEED ?? 20261201);
const OPERATIONS = Number(process.env.CONVERGENCE_OPERATIONS ?? 400);
const EMOJI = ['👍', '❤️', '😂', '🎉', '👀'];

/** mulberry32: a small seeded generator, so a failing run can be replayed with its seed. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Known {
  id: string;
  author: string;
  root: boolean;
  deleted: boolean;
}

/**
 * Issue 15, item 3: one connection watches live, one goes away and resumes, one joins fresh at
 * the end; two writers on two instances edit, delete, react, reply and thread in seeded random
 * order meanwhile. All three must render exactly the same room.
 */
describeWithService('convergence of a changing room on two instances', services, () => {
  let cluster: Cluster;
  const clients: TestClient[] = [];
  const server = (i: number) => cluster.servers[i]!;

  beforeAll(async () => {
    cluster = await startCluster(SHARED_REDIS_URL, 2);
  });
  afterAll(async () => {
    await closeAll(clients);
    await cluster?.stop();
  });

  const connect = async (i: number, token: string) => {
    const client = await TestClient.connect(server(i).wsUrl, { token });
    clients.push(client);
    await client.next('welcome');
    return client;
  };
  /**
   * Applies every frame received so far (and, with `until`, waits for the view to reach that seq).
   * Returns the last `joined` it applied, if any.
   */
  const pump = async (client: TestClient, view: RoomView, room: string, until = 0) => {
    let joined: Joined | undefined;
    while (client.pending().length > 0 || view.position < until) {
      const frame = await client.nextFrame(10_000);
      if (frame.event === 'joined') joined = frame.data as Joined;
      applyFrame(view, room, frame.event, frame.data);
    }
    return joined;
  };
  /** As a client does after a `joined` with `hasMore` (or `reset`): pages back to `since` (or the start). */
  const pageBack = async (client: TestClient, view: RoomView, room: string, first: Joined, since = 0) => {
    let page: { messages: ChatMessage[]; hasMore: boolean } = first;
    while (page.hasMore && (page.messages[0]?.seq ?? 0) > since + 1) {
      client.send('history', { room, before: page.messages[0]!.seq, limit: 100 });
      page = await client.next('history');
      applyFrame(view, room, 'history', page);
    }
  };

  it(`should render the same room live, after a resume and fresh (seed ${SEED}, ${OPERATIONS} operations)`, async () => {
    const next = random(SEED);
    const pick = <T>(items: T[]): T | undefined => items[Math.floor(next() * items.length)];
    const room = `conv-${randomBytes(4).toString('hex')}`;
    // The watchers are connections of one user, so that `me` on reactions is the same for all three.
    const watcher = await register(server(0).baseUrl);
    const other = await register(server(1).baseUrl);

    const live = await connect(0, watcher.token);
    live.send('join', { room });
    const liveView = emptyView(watcher.user.id);
    applyFrame(liveView, room, 'joined', await live.next('joined'));
    let away = await connect(1, watcher.token);
    away.send('join', { room });
    const awayView = emptyView(watcher.user.id);
    applyFrame(awayView, room, 'joined', await away.next('joined'));

    const writers = await Promise.all(
      [
        { i: 0, account: watcher },
        { i: 1, account: other },
      ].map(async ({ i, account }) => {
        const client = await connect(i, account.token);
        client.send('join', { room });
        await client.next('joined');
        return { client, user: account.user };
      }),
    );

    const known: Known[] = [];
    let done = 0;
    let lastSeq = 0;
    const milestones = new Map<number, () => void>();
    const reached = (count: number) => new Promise<void>((resolve) => milestones.set(count, resolve));

    /** One random operation, answered (ack or error) before the writer's next one. */
    const operate = async ({ client, user }: (typeof writers)[number]) => {
      const clientId = randomUUID();
      const roll = next();
      const mine = known.filter((message) => message.author === user.id && !message.deleted);
      const target = pick(known.filter((message) => !message.deleted));
      let frame: { [E in keyof ClientEventMap]: [E, ClientEventMap[E]] }[keyof ClientEventMap];
      if (roll < 0.3 || !target)
        frame = ['send', { room, text: `m ${done} ${next().toString(36)}`, clientId }];
      else if (roll < 0.4) frame = ['send', { room, text: `re ${done}`, clientId, replyTo: target.id }];
      else if (roll < 0.55) {
        const root = pick(known.filter((message) => message.root)) ?? target;
        frame = ['send', { room, text: `t ${done}`, clientId, threadId: root.id }];
      } else if (roll < 0.7 && mine.length > 0) {
        frame = [
          'edit',
          {
            room,
            id: pick(mine)!.id,
            text: `edited ${done} ${'é'.repeat(Math.floor(next() * 300))}`,
            clientId,
          },
        ];
      } else if (roll < 0.78 && mine.length > 0) frame = ['delete', { room, id: pick(mine)!.id, clientId }];
      else frame = ['react', { room, id: target.id, emoji: pick(EMOJI)!, on: next() < 0.7, clientId }];
      client.sendRaw(JSON.stringify({ event: frame[0], data: frame[1] }));
      const answer = await Promise.race([
        client.next('ack', (data) => data.clientId === clientId, 10_000),
        client
          .next('error', (data) => data.clientId === clientId, 10_000)
          .then((error) => {
            // A concurrent delete on the other instance: the one refusal this script can meet.
            expect(error.code).toBe('not_found');
            return undefined;
          }),
      ]);
      if (answer) {
        lastSeq = Math.max(lastSeq, answer.seq);
        if (frame[0] === 'send') {
          known.push({
            id: answer.id,
            author: user.id,
            root: frame[1].threadId === undefined,
            deleted: false,
          });
        } else if (frame[0] === 'delete') {
          const deleted = known.find((message) => message.id === answer.id);
          if (deleted) deleted.deleted = true;
        }
      }
      done++;
      milestones.get(done)?.();
    };
    const write = async (writer: (typeof writers)[number], count: number) => {
      for (let n = 0; n < count; n++) await operate(writer);
    };

    let resumedFrom = 0;
    const goAwayAndResume = async () => {
      await reached(Math.floor(OPERATIONS * 0.15));
      await away.close();
      await pump(away, awayView, room);
      await reached(Math.floor(OPERATIONS * 0.75));
      away = await connect(1, watcher.token);
      resumedFrom = awayView.position;
      away.send('join', { room, since: resumedFrom });
    };
    await Promise.all([
      write(writers[0]!, OPERATIONS / 2),
      write(writers[1]!, OPERATIONS / 2),
      goAwayAndResume(),
    ]);
    expect(known.length).toBeGreaterThan(OPERATIONS / 10);

    await pump(live, liveView, room, lastSeq);
    const resumed = await pump(away, awayView, room, lastSeq);
    if (resumed) await pageBack(away, awayView, room, resumed, resumed.reset ? 0 : resumedFrom);

    const fresh = await connect(1, watcher.token);
    fresh.send('join', { room });
    const freshView = emptyView(watcher.user.id);
    const freshJoined = await fresh.next('joined');
    applyFrame(freshView, room, 'joined', freshJoined);
    await pageBack(fresh, freshView, room, freshJoined);

    const rendered = renderView(liveView);
    expect(liveView.position).toBe(lastSeq);
    expect(renderView(awayView)).toEqual(rendered);
    expect(renderView(freshView)).toEqual(rendered);
    // The run did exercise every kind of change.
    const messages = [...liveView.messages.values()];
    expect(messages.some((message) => message.editedAt)).toBe(true);
    expect(messages.some((message) => message.deleted)).toBe(true);
    expect(messages.some((message) => message.reactions?.some((reaction) => reaction.me))).toBe(true);
    expect(messages.some((message) => message.replyTo)).toBe(true);
    expect(messages.some((message) => (message.thread?.replyCount ?? 0) > 1 && !message.threadId)).toBe(true);
  }, 120_000);
});
