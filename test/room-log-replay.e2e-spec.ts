import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { randomBytes, randomUUID } from 'node:crypto';
import { RESUME_LIMIT } from '../apps/api/src/chat/join-page.js';
import { ChatCore } from '../apps/api/src/core/index.js';
import { register } from './utils/accounts.js';
import { describeOnEachStore, postgresAvailability, type StoreEnv } from './utils/postgres.js';
import { NO_RATE_LIMITS, startApp, type TestApp } from './utils/start-app.js';
import { closeAll, TestClient } from './utils/test-client.js';

const postgres = await postgresAvailability();
const uniqueRoom = () => `log-${randomBytes(4).toString('hex')}`;

/** The room log beyond messages: membership entries, what the simple protocol sees, a replay too long to send. */
function describeRoomLogReplay(store: string, env: StoreEnv): void {
  describe(`the room log on resume (${store})`, () => {
    let server: TestApp;
    const clients: TestClient[] = [];

    beforeAll(async () => {
      server = await startApp({ ...NO_RATE_LIMITS, ...env() });
    });
    afterEach(async () => {
      await closeAll(clients.splice(0));
    });
    afterAll(async () => {
      await server?.close();
    });

    const joined = async (room: string, token: string, since?: number) => {
      const client = await TestClient.connect(server.wsUrl, { token });
      clients.push(client);
      await client.next('welcome');
      client.send('join', { room, ...(since !== undefined && { since }) });
      return { client, joined: await client.next('joined', (data) => data.room === room) };
    };
    const post = async (client: TestClient, room: string, text: string) => {
      const clientId = randomUUID();
      client.send('send', { room, text, clientId });
      return client.next('ack', (data) => data.clientId === clientId);
    };

    it('should log a membership change with its own seq, send it live and replay it on resume', async () => {
      const room = uniqueRoom();
      const alice = await register(server.baseUrl);
      const bob = await register(server.baseUrl);
      const { client } = await joined(room, alice.token);
      const first = await post(client, room, 'before bob');
      const member = await server.app
        .get(ChatCore)
        .logMemberEvent({ room, user: bob.user, role: 'member', reason: 'added', by: alice.user });
      expect(member).toEqual({
        room,
        seq: first.seq + 1,
        user: bob.user,
        role: 'member',
        reason: 'added',
        by: alice.user,
      });
      expect(await client.next('member')).toEqual(member);
      const after = await post(client, room, 'after bob');
      expect(after.seq).toBe(member.seq + 1);

      const resumed = await joined(room, alice.token, first.seq);
      expect(resumed.joined.changes).toEqual([{ event: 'member', data: member }]);
      expect(resumed.joined.messages.map((message) => message.seq)).toEqual([after.seq]);
    });

    it('should keep changes away from simple-protocol clients, which still see every new message', async () => {
      const room = 'general';
      const alice = await register(server.baseUrl);
      const { client } = await joined(room, alice.token);
      const simple = await TestClient.connect(server.wsUrl, { protocols: [], name: 'plain' });
      clients.push(simple);
      const sent = await post(client, room, 'for everyone');
      client.send('edit', { room, id: sent.id, text: 'for everyone, edited', clientId: 'simple-edit' });
      await client.next('ack', (data) => data.clientId === 'simple-edit');
      await post(client, room, 'next');
      const lines = [await simple.next('simple'), await simple.next('simple')];
      expect(lines.map((line) => line.message)).toEqual(['for everyone', 'next']);
      expect(simple.pending()).toEqual([]);
    });

    it('should carry at most 20 different emoji on a message, and still take more of those', async () => {
      const room = uniqueRoom();
      const alice = await register(server.baseUrl);
      const { client } = await joined(room, alice.token);
      const held = await post(client, room, 'decorate me');
      const core = server.app.get(ChatCore);
      const emoji = Array.from({ length: 21 }, (_, i) => String.fromCodePoint(0x1f600 + i));
      for (const [i, one] of emoji.slice(0, 20).entries()) {
        await core.react({
          room,
          id: held.id,
          emoji: one,
          on: true,
          user: alice.user,
          clientId: `deco-${i}`,
        });
      }
      await expect(
        core.react({ room, id: held.id, emoji: emoji[20]!, on: true, user: alice.user }),
      ).rejects.toMatchObject({
        code: 'forbidden',
      });
      const bob = await register(server.baseUrl);
      const again = await core.react({ room, id: held.id, emoji: emoji[0]!, on: true, user: bob.user });
      expect(again).toMatchObject({ swallowed: false, change: { data: { count: 2 } } });
    });

    it(`should answer a resume past ${RESUME_LIMIT} changes with reset and the latest page`, async () => {
      const room = uniqueRoom();
      const alice = await register(server.baseUrl);
      const { client } = await joined(room, alice.token);
      const held = await post(client, room, 'much loved');
      const core = server.app.get(ChatCore);
      for (let i = 0; i <= RESUME_LIMIT; i++) {
        await core.react({
          room,
          id: held.id,
          emoji: i % 2 === 0 ? '👍' : '👎',
          on: true,
          user: alice.user,
          clientId: `many-${i}`,
        });
      }
      const resumed = await joined(room, alice.token, held.seq);
      expect(resumed.joined).toMatchObject({ reset: true, lastSeq: held.seq + RESUME_LIMIT + 1 });
      expect(resumed.joined.changes).toBeUndefined();
      expect(resumed.joined.messages).toEqual([
        expect.objectContaining({
          id: held.id,
          reactions: [
            { emoji: '👍', count: 1, me: true },
            { emoji: '👎', count: 1, me: true },
          ],
        }),
      ]);
    }, 60_000);
  });
}

describeOnEachStore('the room log', postgres, describeRoomLogReplay);
