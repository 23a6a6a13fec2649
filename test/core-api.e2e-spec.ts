import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { Inject, Injectable, Module } from '@nestjs/common';
import { CloseCode, type ChatMessage, type User } from '@chat/contracts';
import { ChatCore, ChatCoreModule, type PostInput } from '../apps/api/src/core/index.js';
import { MESSAGE_STORE, type MessageStore } from '../apps/api/src/storage/message-store.js';
import { register } from './utils/accounts.js';
import { membershipApi } from './utils/membership.js';
import { createTestDatabase, postgresAvailability, type TestDatabase } from './utils/postgres.js';
import { deleteRedisKeys, redisAvailability, SHARED_REDIS_URL, uniqueRedisPrefix } from './utils/redis.js';
import { describeWithService } from './utils/services.js';
import { startApp, type TestApp } from './utils/start-app.js';
import { closeAll, TestClient } from './utils/test-client.js';

/** A feature module as a developer writes one: it gets the core by injection, nothing else. */
@Injectable()
class Announcer {
  constructor(@Inject(ChatCore) private readonly core: ChatCore) {}

  say(input: PostInput) {
    return this.core.post(input);
  }

  kick(room: string, userId: string) {
    this.core.kick(room, userId, 'test');
  }

  disconnect(userId: string) {
    this.core.disconnectUser(userId, 'removed by a test');
  }

  drain() {
    return this.core.drain();
  }
}

@Module({ imports: [ChatCoreModule], providers: [Announcer] })
class AnnouncerModule {}

/** What is the same for every message of one user, whoever posted it: all but the per-message fields. */
function shape({ id, seq, time, clientId, text, ...rest }: ChatMessage) {
  return {
    ...rest,
    id: typeof id,
    seq: typeof seq,
    time: typeof time,
    clientId: typeof clientId,
    text: typeof text,
  };
}

describe('ChatCore: a module posts exactly as a socket does', () => {
  let server: TestApp;
  let announcer: Announcer;
  const clients: TestClient[] = [];
  const join = async (room = 'general', options: Parameters<typeof TestClient.joined>[2] = {}) => {
    const client = await TestClient.joined(server.wsUrl, room, options);
    clients.push(client);
    return client;
  };
  /** The user a connection goes by, from its welcome. */
  const connectAs = async (name: string): Promise<{ client: TestClient; user: User }> => {
    const client = await TestClient.connect(server.wsUrl, { name });
    clients.push(client);
    const { user } = await client.next('welcome');
    client.send('join', { room: 'general' });
    await client.next('joined');
    return { client, user };
  };
  /** Everything this client was sent before now has arrived. */
  const settled = async (client: TestClient) => {
    client.send('ping', {});
    await client.next('pong');
  };

  beforeAll(async () => {
    server = await startApp({}, { imports: [AnnouncerModule] });
    announcer = server.app.get(Announcer);
  });
  afterEach(async () => {
    await closeAll(clients.splice(0));
  });
  afterAll(async () => {
    await server.close();
  });

  it('should give the room the same frames, in seq order, for a socket post and a module post', async () => {
    const { client: alice, user } = await connectAs('Alice');
    const bob = await join();
    const simple = await TestClient.connect(server.wsUrl, { protocols: [], name: 'Sam' });
    clients.push(simple);
    await settled(bob);

    alice.send('send', { room: 'general', text: 'from the socket', clientId: 'sock-1' });
    const ack = await alice.next('ack');
    const outcome = await announcer.say({ room: 'general', text: 'from a module', user, clientId: 'mod-1' });
    expect(outcome).toMatchObject({ swallowed: false, duplicate: false });
    if (outcome.swallowed) throw new Error('not swallowed');

    const [fromSocket, fromModule] = await bob.take('message', 2);
    expect(fromSocket).toMatchObject({ text: 'from the socket', clientId: 'sock-1', seq: ack.seq });
    expect(fromModule).toEqual(outcome.message);
    expect(fromModule).toMatchObject({ text: 'from a module', clientId: 'mod-1', seq: ack.seq + 1 });
    expect(shape(fromModule!)).toEqual(shape(fromSocket!));
    // The sender's other tabs and simple clients see it too, in their own shape.
    expect((await alice.next('message', (m) => m.clientId === 'mod-1')).seq).toBe(ack.seq + 1);
    const simpleFrames = [await simple.next('simple'), await simple.next('simple')];
    expect(simpleFrames.map((f) => f.message)).toEqual(['from the socket', 'from a module']);
    expect(Object.keys(simpleFrames[1]!).sort()).toEqual(Object.keys(simpleFrames[0]!).sort());
  });

  it('should be idempotent on clientId: a repeated module post returns the stored message and shows nothing new', async () => {
    const { user } = await connectAs('Carol');
    const bob = await join();
    const first = await announcer.say({ room: 'general', text: 'once', user, clientId: 'twice-1' });
    const again = await announcer.say({ room: 'general', text: 'once', user, clientId: 'twice-1' });
    expect(first).toMatchObject({ duplicate: false });
    expect(again).toMatchObject({ duplicate: true });
    if (first.swallowed || again.swallowed) throw new Error('not swallowed');
    expect(again.message).toEqual(first.message);
    expect((await bob.next('message')).id).toBe(first.message.id);
    await settled(bob);
    expect(bob.pending('message')).toEqual([]);
  });

  it('should run the posting hooks for a module post (a command is swallowed, its reply returned)', async () => {
    const { user } = await connectAs('Dora');
    const outcome = await announcer.say({ room: 'general', text: '/help', user });
    expect(outcome.swallowed).toBe(true);
    expect(outcome.replies[0]).toContain('/me <action>');
  });

  it('should refuse what a socket send would refuse, with the same domain errors', async () => {
    const { user } = await connectAs('Eve');
    await expect(announcer.say({ room: 'general', text: 'bell \u0007', user })).rejects.toMatchObject({
      code: 'bad_request',
    });
    await expect(announcer.say({ room: 'general', text: 'x'.repeat(4001), user })).rejects.toMatchObject({
      code: 'too_large',
    });
    await expect(announcer.say({ room: 'no-such-room', text: 'hi', user })).rejects.toMatchObject({
      code: 'not_found',
    });
  });

  it('should make drain() wait for a module post that was just started', async () => {
    const { user } = await connectAs('Finn');
    let stored: ChatMessage | undefined;
    const posting = announcer.say({ room: 'general', text: 'before shutdown', user, clientId: 'drain-1' });
    void posting.then((outcome) => {
      if (!outcome.swallowed) stored = outcome.message;
    });
    await announcer.drain();
    expect(stored?.text).toBe('before shutdown');
    const store = server.app.get<MessageStore>(MESSAGE_STORE);
    expect((await store.findByClientId(user.id, 'drain-1'))?.seq).toBe(stored?.seq);
  });

  it('kick() should take the user out of the room with room.removed, and nothing more of it reaches them', async () => {
    const owner = await register(server.baseUrl);
    const room = `kick-${Date.now()}`;
    const alice = await join(room, { token: owner.token });
    const target = await register(server.baseUrl);
    const bob = await join(room, { token: target.token });
    const carol = await join(room);

    announcer.kick(room, target.user.id);
    expect(await bob.next('room.removed')).toEqual({ room, reason: 'kicked' });
    // The membership went first (issue 14): the room is no longer bob's.
    expect((await membershipApi(server.baseUrl, target.token).myRooms()).has(room)).toBe(false);
    alice.send('send', { room, text: 'after the kick', clientId: 'k1' });
    await carol.next('message', (m) => m.clientId === 'k1');
    await settled(bob);
    expect(bob.pending('message')).toEqual([]);
    // Out of the room: sending there is refused; joining again is allowed.
    bob.send('send', { room, text: 'still here?', clientId: 'k2' });
    expect(await bob.next('error')).toMatchObject({ code: 'forbidden', clientId: 'k2' });
    bob.send('join', { room });
    await bob.next('joined', (j) => j.room === room);
  });

  it('disconnectUser() should close every connection of that user with 4403', async () => {
    const account = await register(server.baseUrl);
    const tab1 = await join('general', { token: account.token });
    const tab2 = await TestClient.connect(server.wsUrl, { token: account.token });
    clients.push(tab2);
    await tab2.next('welcome');
    const bystander = await join();
    announcer.disconnect(account.user.id);
    expect((await tab1.closed).code).toBe(CloseCode.removed);
    expect((await tab2.closed).code).toBe(CloseCode.removed);
    await settled(bystander);
  });
});

const [postgres, redis] = await Promise.all([postgresAvailability(), redisAvailability()]);
const services = {
  available: postgres.available && redis.available,
  reason: [postgres, redis].map((service) => service.reason).join(' and '),
};

describeWithService('ChatCore across two instances (PostgreSQL + Redis)', services, () => {
  let database: TestDatabase;
  let prefix: string;
  let a: TestApp;
  let b: TestApp;
  const clients: TestClient[] = [];

  beforeAll(async () => {
    database = await createTestDatabase();
    prefix = uniqueRedisPrefix();
    const env = {
      DATABASE_URL: database.url,
      REDIS_URL: SHARED_REDIS_URL,
      REDIS_PREFIX: prefix,
      JWT_SECRET: 'core-api-test-secret-0123456789abcdef0123',
    };
    a = await startApp(env, { imports: [AnnouncerModule] });
    b = await startApp(env, { imports: [AnnouncerModule] });
  });
  afterEach(async () => {
    await closeAll(clients.splice(0));
  });
  afterAll(async () => {
    await Promise.all([a?.close(), b?.close()]);
    await database?.drop();
    await deleteRedisKeys(SHARED_REDIS_URL, prefix).catch(() => undefined);
  });

  it('should kick and disconnect a user connected to the other instance, and fan a module post out to it', async () => {
    const owner = await register(a.baseUrl);
    const room = `x-kick-${Date.now()}`;
    const alice = await TestClient.joined(a.wsUrl, room, { token: owner.token });
    const target = await register(a.baseUrl);
    const bob = await TestClient.joined(b.wsUrl, room, { token: target.token });
    clients.push(alice, bob);

    const posted = await a.app.get(Announcer).say({ room, text: 'from a module on A', user: owner.user });
    if (posted.swallowed) throw new Error('not swallowed');
    expect(await bob.next('message', (m) => m.id === posted.message.id)).toEqual(posted.message);

    a.app.get(Announcer).kick(room, target.user.id);
    expect(await bob.next('room.removed')).toEqual({ room, reason: 'kicked' });
    a.app.get(Announcer).disconnect(target.user.id);
    expect((await bob.closed).code).toBe(CloseCode.removed);
  });
});
