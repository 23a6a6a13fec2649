import { afterAll, afterEach, beforeAll, describe, expect, it, jest } from '@jest/globals';
import type { User } from '@chat/contracts';
import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { PRESENCE_BATCH_MS } from '../apps/api/src/chat/presence-fanout.js';
import { bearer, register } from './utils/accounts.js';
import { createTestDatabase, postgresAvailability, type TestDatabase } from './utils/postgres.js';
import { describeWithService } from './utils/services.js';
import { startApp, type TestApp } from './utils/start-app.js';
import { closeAll, TestClient } from './utils/test-client.js';

/** Long enough for a frame that was wrongly sent to arrive; used only where no event can be awaited. */
const QUIET_MS = 300;

const postgres = await postgresAvailability();

const uniqueRoom = (prefix: string) => `${prefix}-${randomBytes(4).toString('hex')}`;
const byId = (users: User[]) => [...users].sort((a, b) => a.id.localeCompare(b.id));

/**
 * Once this resolves, every frame the server meant to send the client so far has arrived: presence
 * changes wait up to PRESENCE_BATCH_MS to go out together (a bounded wait on the server's side,
 * with nothing on the wire to await), and a ping is answered after everything already written.
 */
async function flush(client: TestClient): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, PRESENCE_BATCH_MS));
  const t = Math.random();
  client.send('ping', { t });
  await client.next('pong', (pong) => pong.t === t);
}

describe('presence and typing', () => {
  let server: TestApp;
  const clients: TestClient[] = [];

  /** A connection, welcomed, with its user. Registered when `token` is given, else a guest named `name`. */
  const connect = async (options: { token?: string; name?: string }) => {
    const client = await TestClient.connect(server.wsUrl, options);
    clients.push(client);
    const { user } = await client.next('welcome');
    return { client, user };
  };
  /** Joins and returns the full presence list that follows `joined`. */
  const join = async (client: TestClient, room: string) => {
    client.send('join', { room });
    await client.next('joined', (data) => data.room === room);
    const presence = await client.next('presence', (data) => data.room === room);
    return presence.users;
  };
  /** A registered user's first connection, already in a new room (which it thereby creates). */
  const owner = async (room: string) => {
    const { token } = await register(server.baseUrl);
    const connection = await connect({ token });
    await join(connection.client, room);
    return { ...connection, token };
  };
  const onlineIn = async (room: string, token: string) => {
    const response = await request(server.baseUrl).get('/api/rooms').set(bearer(token));
    return (response.body.rooms as { name: string; online: number }[]).find((r) => r.name === room)?.online;
  };

  beforeAll(async () => {
    server = await startApp();
  });
  afterEach(async () => {
    jest.restoreAllMocks();
    await closeAll(clients.splice(0));
  });
  afterAll(async () => {
    await server.close();
  });

  describe('presence', () => {
    it('should send the joiner the full list: itself and everyone already there', async () => {
      const room = uniqueRoom('list');
      const { token } = await register(server.baseUrl);
      const alice = await connect({ token });
      expect(await join(alice.client, room)).toEqual([alice.user]);

      const bob = await connect({ name: 'Bob' });
      expect(byId(await join(bob.client, room))).toEqual(byId([alice.user, bob.user]));

      const carol = await connect({ name: 'Carol' });
      expect(byId(await join(carol.client, room))).toEqual(byId([alice.user, bob.user, carol.user]));
    });

    it('should send the presence list after joined', async () => {
      const room = uniqueRoom('order');
      await owner(room);
      const bob = await connect({ name: 'Bob' });
      bob.client.send('join', { room });
      const presence = await bob.client.next('presence');
      // Frames of one socket arrive in order: joined, if it came first, is already here.
      expect(bob.client.pending('joined')).toEqual([expect.objectContaining({ room })]);
      expect(presence.users.map((u) => u.id)).toContain(bob.user.id);
    });

    it('should not announce a member joining a room again', async () => {
      const room = uniqueRoom('rejoin');
      const alice = await owner(room);
      const bob = await connect({ name: 'Bob' });
      await join(bob.client, room);
      await alice.client.next('presence.diff');

      expect(byId(await join(bob.client, room))).toEqual(byId([alice.user, bob.user]));
      await flush(alice.client);
      expect(alice.client.pending('presence.diff')).toEqual([]);
    });

    it('should tell the other members who joined with presence.diff, and not the joiner itself', async () => {
      const room = uniqueRoom('diff');
      const alice = await owner(room);
      const bob = await connect({ name: 'Bob' });
      await join(bob.client, room);

      expect(await alice.client.next('presence.diff')).toEqual({ room, joined: [bob.user], left: [] });
      // A diff about Bob, had it been sent to Bob, would have come before his presence list.
      expect(bob.client.pending('presence.diff')).toEqual([]);

      const carol = await connect({ name: 'Carol' });
      await join(carol.client, room);
      for (const member of [alice, bob]) {
        expect(await member.client.next('presence.diff')).toEqual({ room, joined: [carol.user], left: [] });
      }
      expect(carol.client.pending('presence.diff')).toEqual([]);
    });

    it('should count a user with three tabs once, and announce them gone only when the last tab goes', async () => {
      const room = uniqueRoom('tabs');
      const dave = await owner(room);
      const { token, user: carol } = await register(server.baseUrl);
      const tabs = [await connect({ token }), await connect({ token }), await connect({ token })];
      const [tab1, tab2, tab3] = tabs.map((tab) => tab.client) as [TestClient, TestClient, TestClient];

      const lists = [await join(tab1, room), await join(tab2, room), await join(tab3, room)];
      for (const list of lists) expect(byId(list)).toEqual(byId([dave.user, carol]));
      expect(await dave.client.next('presence.diff')).toEqual({ room, joined: [carol], left: [] });
      await flush(dave.client);
      expect(dave.client.pending('presence.diff')).toEqual([]);
      expect(await onlineIn(room, token)).toBe(2);

      // The first tab leaves the room, the second disconnects: Carol is still here.
      tab1.send('leave', { room });
      await tab1.next('left');
      await flush(dave.client);
      expect(dave.client.pending('presence.diff')).toEqual([]);
      await tab2.close();
      await expect(dave.client.next('presence.diff', undefined, QUIET_MS)).rejects.toThrow(
        'no "presence.diff" frame',
      );
      expect(await onlineIn(room, token)).toBe(2);

      // The last tab disconnects: now she is gone.
      await tab3.close();
      expect(await dave.client.next('presence.diff')).toEqual({ room, joined: [], left: [carol] });
      expect(await onlineIn(room, token)).toBe(1);
    });

    it('should announce a leave with presence.diff {left}, and stop telling the one who left', async () => {
      const room = uniqueRoom('leave');
      const alice = await owner(room);
      const bob = await connect({ name: 'Bob' });
      await join(bob.client, room);
      await alice.client.next('presence.diff');

      bob.client.send('leave', { room });
      expect(await bob.client.next('left')).toEqual({ room });
      expect(await alice.client.next('presence.diff')).toEqual({ room, joined: [], left: [bob.user] });

      const carol = await connect({ name: 'Carol' });
      await join(carol.client, room);
      expect(await alice.client.next('presence.diff')).toEqual({ room, joined: [carol.user], left: [] });
      await flush(bob.client);
      expect(bob.client.pending('presence.diff')).toEqual([]);
    });

    it('should announce a disconnect with presence.diff {left}', async () => {
      const room = uniqueRoom('gone');
      const alice = await owner(room);
      const bob = await connect({ name: 'Bob' });
      await join(bob.client, room);
      await alice.client.next('presence.diff');

      bob.client.socket.terminate();
      expect(await alice.client.next('presence.diff')).toEqual({ room, joined: [], left: [bob.user] });
    });

    it('should not send diffs of one room to members of another', async () => {
      const here = uniqueRoom('here');
      const there = uniqueRoom('there');
      const alice = await owner(here);
      const bob = await owner(there);
      const carol = await connect({ name: 'Carol' });
      await join(carol.client, there);

      await bob.client.next('presence.diff', (diff) => diff.room === there);
      await flush(alice.client);
      expect(alice.client.pending('presence.diff')).toEqual([]);
    });
  });

  describe('typing', () => {
    /** Alice with two tabs and Bob, all in a new room. */
    const typingRoom = async () => {
      const room = uniqueRoom('typing');
      const alice1 = await owner(room);
      const alice2 = await connect({ token: alice1.token });
      await join(alice2.client, room);
      const bob = await connect({ name: 'Bob' });
      await join(bob.client, room);
      return { room, alice: alice1.user, tab1: alice1.client, tab2: alice2.client, bob: bob.client };
    };
    /**
     * The typer posts a message: it is fanned out after any typing notice sent before it, so once
     * each client has the message, every notice it will ever get for the earlier frames is here.
     */
    let barrierCount = 0;
    const barrier = async (typer: TestClient, room: string, everyone: TestClient[]) => {
      const clientId = `barrier-${++barrierCount}`;
      typer.send('send', { room, text: 'barrier', clientId });
      for (const client of everyone) await client.next('message', (m) => m.clientId === clientId);
    };

    it('should tell the other members, and not the typer nor the typer’s other tabs', async () => {
      const { room, alice, tab1, tab2, bob } = await typingRoom();
      const outsider = await connect({ name: 'Eve' });
      await join(outsider.client, 'general');

      tab1.send('typing', { room });
      await barrier(tab1, room, [tab1, tab2, bob]);

      expect(bob.pending('typing')).toEqual([{ room, user: alice }]);
      expect(tab1.pending('typing')).toEqual([]);
      expect(tab2.pending('typing')).toEqual([]);
      await flush(outsider.client);
      expect(outsider.client.pending('typing')).toEqual([]);

      // And the other way round: Bob typing reaches both of Alice's tabs.
      bob.send('typing', { room });
      for (const tab of [tab1, tab2]) expect((await tab.next('typing')).user.name).toBe('Bob');
    });

    it('should refuse typing in a room the client has not joined', async () => {
      const { room, bob } = await typingRoom();
      const outsider = await connect({ name: 'Eve' });
      outsider.client.send('typing', { room });
      expect(await outsider.client.next('error')).toMatchObject({ code: 'forbidden', event: 'typing' });
      await flush(bob);
      expect(bob.pending('typing')).toEqual([]);
    });

    it('should drop a second notice of the same user and room within 2 s, and pass one after it', async () => {
      const { room, alice, tab1, tab2, bob } = await typingRoom();
      const otherRoom = uniqueRoom('typing2');
      tab1.send('join', { room: otherRoom });
      await tab1.next('presence', (p) => p.room === otherRoom);
      const bobThere = await connect({ name: 'Bob2' });
      await join(bobThere.client, otherRoom);

      tab1.send('typing', { room });
      tab1.send('typing', { room });
      tab2.send('typing', { room }); // same user from another tab: the same budget
      await barrier(tab1, room, [bob]);
      await barrier(tab2, room, [bob]);
      expect(bob.pending('typing')).toEqual([{ room, user: alice }]);
      await bob.next('typing');

      // The budget is per room: typing elsewhere right away goes through.
      tab1.send('typing', { room: otherRoom });
      expect(await bobThere.client.next('typing')).toEqual({ room: otherRoom, user: alice });

      // 2.1 s later (the server's clock moved on; no need to wait it out), a notice passes again.
      const realNow = Date.now.bind(Date);
      jest.spyOn(Date, 'now').mockImplementation(() => realNow() + 2100);
      tab1.send('typing', { room });
      expect(await bob.next('typing')).toEqual({ room, user: alice });
    });
  });
});

describeWithService(
  'presence with a PostgreSQL store (joins that really wait for the database)',
  postgres,
  () => {
    let database: TestDatabase;
    let server: TestApp;
    const clients: TestClient[] = [];

    beforeAll(async () => {
      database = await createTestDatabase();
      server = await startApp({ DATABASE_URL: database.url });
    });
    afterEach(async () => {
      await closeAll(clients.splice(0));
    });
    afterAll(async () => {
      await server?.close();
      await database?.drop();
    });

    it('should leave no ghost behind when a client disconnects while its join is being handled', async () => {
      const { token, user } = await register(server.baseUrl);
      const observer = await TestClient.joined(server.wsUrl, 'general', { token });
      clients.push(observer);
      const online = async () => {
        const response = await request(server.baseUrl).get('/api/rooms').set(bearer(token));
        return (response.body.rooms as { name: string; online: number }[]).find((r) => r.name === 'general')
          ?.online;
      };

      for (let i = 0; i < 10; i++) {
        const quitter = await TestClient.connect(server.wsUrl, { name: `Quitter${i}` });
        await quitter.next('welcome');
        quitter.send('join', { room: 'general' });
        quitter.socket.terminate(); // while the server is still reading the room from the database
        await quitter.closed;
      }

      // Nothing to await on the wire when all is well: poll the server's count, with a deadline.
      const deadline = Date.now() + 2000;
      let count = await online();
      while (count !== 1 && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        count = await online();
      }
      expect(count).toBe(1);
      // Whoever the observer saw arrive, it also saw go.
      await flush(observer);
      const diffs = observer.pending('presence.diff') as { joined: User[]; left: User[] }[];
      const joined = diffs.flatMap((d) => d.joined.map((u) => u.id));
      const left = new Set(diffs.flatMap((d) => d.left.map((u) => u.id)));
      expect(joined.filter((id) => !left.has(id))).toEqual([]);
      expect(joined).not.toContain(user.id);
    });
  },
);
