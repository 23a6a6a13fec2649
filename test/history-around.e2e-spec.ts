import { describe, expect, it } from '@jest/globals';
import { randomBytes, randomUUID } from 'node:crypto';
import request from 'supertest';
import type { ChatMessage, HistoryPage, HistoryRequest } from '@chat/contracts';
import { bearer } from './utils/accounts.js';
import { useMembershipApp } from './utils/membership.js';
import { describeOnEachStore, postgresAvailability, type StoreEnv } from './utils/postgres.js';
import type { TestClient } from './utils/test-client.js';

const postgres = await postgresAvailability();
const uniqueRoom = () => `jump-${randomBytes(4).toString('hex')}`;

/** `history {around}` and `history {after}`: a jump to a message and paging from it both ways. */
function describeHistoryAround(store: string, env: StoreEnv): void {
  describe(`history around and after (${store})`, () => {
    const app = useMembershipApp(env, 2);
    const post = async (client: TestClient, room: string, text: string, extra = {}): Promise<ChatMessage> => {
      const clientId = randomUUID();
      client.send('send', { room, text, clientId, ...extra });
      await client.next('ack', (data) => data.clientId === clientId);
      return client.next('message', (data) => data.clientId === clientId);
    };
    const history = async (client: TestClient, request: HistoryRequest): Promise<HistoryPage> => {
      client.send('history', request);
      return client.next('history');
    };
    const texts = (page: HistoryPage) => page.messages.map((message) => message.text);
    /** A room of 30 messages `m1`..`m30`, every fifth one edited (edits take seqs too). */
    const roomOf30 = async () => {
      const room = uniqueRoom();
      await app.api(app.accounts[0]!).createRoom(room).expect(201);
      const client = await app.joined(app.accounts[0]!, room);
      const sent: ChatMessage[] = [];
      for (let i = 1; i <= 30; i++) {
        const message = await post(client, room, `m${i}`);
        sent.push(message);
        if (i % 5 === 0) {
          const clientId = randomUUID();
          client.send('edit', { room, id: message.id, text: `m${i}`, clientId });
          await client.next('ack', (data) => data.clientId === clientId);
        }
      }
      return { room, client, sent };
    };
    const range = (from: number, to: number) =>
      Array.from({ length: to - from + 1 }, (_, i) => `m${from + i}`);

    it('should open a page around a seq, then page back and forward from its ends', async () => {
      const { room, client, sent } = await roomOf30();
      const around = await history(client, { room, around: sent[14]!.seq, limit: 10 });
      expect(texts(around)).toEqual(range(11, 20));
      expect(around).toMatchObject({ room, hasMore: true, hasNewer: true, around: sent[14]!.seq });
      const newer = await history(client, { room, after: around.messages.at(-1)!.seq, limit: 10 });
      expect(texts(newer)).toEqual(range(21, 30));
      expect(newer).toMatchObject({ hasMore: true, hasNewer: false, after: sent[19]!.seq });
      const older = await history(client, { room, before: around.messages[0]!.seq, limit: 10 });
      expect(texts(older)).toEqual(range(1, 10));
      expect(older.hasMore).toBe(false);
      expect(older.hasNewer).toBeUndefined();
      // Around an edit's seq (no message has it): the messages on either side of it.
      const edit = sent[9]!.seq + 1;
      expect(texts(await history(client, { room, around: edit, limit: 4 }))).toEqual(range(9, 12));
      // At the ends (the newer side fills what the older one lacks), and with a page of one.
      const first = await history(client, { room, around: sent[0]!.seq, limit: 4 });
      expect([texts(first), first.hasMore, first.hasNewer]).toEqual([range(1, 4), false, true]);
      const last = await history(client, { room, around: sent[29]!.seq, limit: 4 });
      expect([texts(last), last.hasMore, last.hasNewer]).toEqual([range(29, 30), true, false]);
      const one = await history(client, { room, around: sent[4]!.seq, limit: 1 });
      expect([texts(one), one.hasMore, one.hasNewer]).toEqual([['m5'], true, true]);
    });

    it('should answer the same pages over HTTP', async () => {
      const { room, sent } = await roomOf30();
      const get = (query: Record<string, string>) =>
        request(app.server.baseUrl)
          .get(`/api/rooms/${room}/messages`)
          .query(query)
          .set(bearer(app.accounts[0]!.token));
      const around = await get({ around: String(sent[14]!.seq), limit: '10' }).expect(200);
      expect(around.body).toMatchObject({ room, hasMore: true, hasNewer: true, around: sent[14]!.seq });
      expect(around.body.messages.map((m: ChatMessage) => m.text)).toEqual(range(11, 20));
      const after = await get({ after: String(sent[19]!.seq), limit: '50' }).expect(200);
      expect([after.body.messages.length, after.body.hasNewer]).toEqual([10, false]);
      await get({ around: '3', before: '5' }).expect(400);
    });

    it('should jump within a thread, and refuse two anchors at once', async () => {
      const room = uniqueRoom();
      await app.api(app.accounts[0]!).createRoom(room).expect(201);
      const client = await app.joined(app.accounts[0]!, room);
      const root = await post(client, room, 'root');
      const replies: ChatMessage[] = [];
      for (let i = 1; i <= 6; i++) {
        replies.push(await post(client, room, `r${i}`, { threadId: root.id }));
        await post(client, room, `noise${i}`);
      }
      const page = await history(client, { room, threadId: root.id, around: replies[2]!.seq, limit: 2 });
      expect([texts(page), page.threadId, page.hasMore, page.hasNewer]).toEqual([
        ['r3', 'r4'],
        root.id,
        true,
        true,
      ]);
      client.send('history', { room, before: 5, around: 3 });
      expect(await client.next('error')).toMatchObject({ code: 'bad_request', event: 'history' });
    });

    it("should not open a private room's page for a non-member", async () => {
      const room = uniqueRoom();
      await app.api(app.accounts[0]!).createRoom(room, 'private').expect(201);
      const owner = await app.joined(app.accounts[0]!, room);
      const secret = await post(owner, room, 'secret');
      const outsider = await app.connect(app.accounts[1]!.token);
      outsider.send('history', { room, around: secret.seq });
      expect(await outsider.next('error')).toMatchObject({ code: 'not_found', event: 'history' });
    });
  });
}

describeOnEachStore('history around and after', postgres, describeHistoryAround);
