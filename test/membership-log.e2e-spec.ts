import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import type { AuthResponse, MemberEvent } from '@chat/contracts';
import { randomBytes } from 'node:crypto';
import { register } from './utils/accounts.js';
import { membershipApi } from './utils/membership.js';
import { NO_RATE_LIMITS, startApp, type TestApp } from './utils/start-app.js';
import { closeAll, TestClient } from './utils/test-client.js';

const uniqueRoom = (prefix: string) => `${prefix}-${randomBytes(4).toString('hex')}`;

/**
 * Membership changes are entries of the room's log (the one rule of the conversations layer):
 * each has its own seq, reaches the room's members in order, and is replayed by `join {since}`.
 */
describe('membership changes in the room log', () => {
  let server: TestApp;
  let alice: AuthResponse;
  let bob: AuthResponse;
  let carol: AuthResponse;
  const clients: TestClient[] = [];
  const connect = async (token: string) => {
    const client = await TestClient.connect(server.wsUrl, { token });
    clients.push(client);
    await client.next('welcome');
    return client;
  };
  const api = (who: AuthResponse) => membershipApi(server.baseUrl, who.token);

  beforeAll(async () => {
    server = await startApp({ ...NO_RATE_LIMITS });
    [alice, bob, carol] = await Promise.all([
      register(server.baseUrl),
      register(server.baseUrl),
      register(server.baseUrl),
    ]);
  });
  afterEach(async () => {
    await closeAll(clients.splice(0));
  });
  afterAll(async () => {
    await server?.close();
  });

  it('should log every membership change with its own seq, live in order and again on resume', async () => {
    const room = uniqueRoom('log');
    const created = await api(alice).createRoom(room);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ lastSeq: 1, readSeq: 1 });
    const owner = await connect(alice.token);
    owner.send('join', { room });
    const joined = await owner.next('joined', (j) => j.room === room);
    // The owner's own membership is the room's first entry.
    expect(joined.lastSeq).toBe(1);

    // A second device of the owner, which will be away for what follows.
    const away = await connect(alice.token);
    away.send('join', { room });
    const awayJoined = await away.next('joined', (j) => j.room === room);
    await away.close();

    const member = await connect(bob.token);
    member.send('join', { room });
    await member.next('joined', (j) => j.room === room);
    // The entry that made Bob a member is his to have read: nothing is unread, by any measure.
    const added = (await member.next('room.added', (a) => a.room.name === room)).room;
    expect(added).toMatchObject({ lastSeq: 2, readSeq: 2, unread: 0 });
    expect((await api(alice).add(room, carol.user.name)).status).toBe(201);
    expect((await api(alice).mute(room, bob.user.name)).status).toBe(201);
    expect((await api(alice).remove(room, carol.user.name)).status).toBe(204);

    const live = await owner.take('member', 4);
    expect(live.map(({ user, reason }) => [user.name, reason])).toEqual([
      [bob.user.name, 'joined'],
      [carol.user.name, 'added'],
      [bob.user.name, 'muted'],
      [carol.user.name, 'kicked'],
    ]);
    // Gap-free after the owner's entry: 2, 3, 4, 5.
    expect(live.map((event) => event.seq)).toEqual([2, 3, 4, 5]);
    expect(live[1]?.by?.id).toBe(alice.user.id);
    expect(live[0]?.by).toBeUndefined();

    // The device that was away replays exactly those, in order, once.
    const back = await connect(alice.token);
    back.send('join', { room, since: awayJoined.lastSeq });
    const resumed = await back.next('joined', (j) => j.room === room);
    expect(resumed.lastSeq).toBe(5);
    expect(resumed.messages).toEqual([]);
    const replayed = (resumed.changes ?? []).map((change) => change.data as MemberEvent);
    expect(replayed).toEqual(live);
  });
});
