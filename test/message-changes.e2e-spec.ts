import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { randomBytes, randomUUID } from 'node:crypto';
import type { EventEmitter2 } from '@nestjs/event-emitter';
import request from 'supertest';
import type { MessageEdited } from '@chat/contracts';
import { ChatCore, MessageEditedEvent } from '../apps/api/src/core/index.js';
import { bearer, register } from './utils/accounts.js';
import { describeOnEachStore, postgresAvailability, type StoreEnv } from './utils/postgres.js';
import { bindRoomPermissions, RoomPermissionsDouble } from './utils/room-permissions-double.js';
import { startApp, type TestApp } from './utils/start-app.js';
import { closeAll, TestClient } from './utils/test-client.js';

const postgres = await postgresAvailability();
const uniqueRoom = () => `chg-${randomBytes(4).toString('hex')}`;

/** Edit, delete, react, reply and thread over real sockets, with every rule and bad input, on one store. */
function describeMessageChanges(store: string, env: StoreEnv): void {
  describe(`messages that change (${store})`, () => {
    let server: TestApp;
    let permissions: RoomPermissionsDouble;
    const clients: TestClient[] = [];

    beforeAll(async () => {
      server = await startApp({ ...env(), WORD_FILTER_WORDS: 'forbiddenword' });
      permissions = new RoomPermissionsDouble();
      bindRoomPermissions(server.app, permissions);
    });
    afterEach(async () => {
      await closeAll(clients.splice(0));
      permissions.muted.clear();
      permissions.roles.clear();
    });
    afterAll(async () => {
      await server?.close();
    });

    const member = async (room: string) => {
      const account = await register(server.baseUrl);
      const client = await TestClient.joined(server.wsUrl, room, { token: account.token });
      clients.push(client);
      return { client, ...account };
    };
    const post = async (client: TestClient, room: string, text: string, extra = {}) => {
      const clientId = randomUUID();
      client.send('send', { room, text, clientId, ...extra });
      const message = await client.next('message', (data) => data.clientId === clientId);
      await client.next('ack', (data) => data.clientId === clientId);
      return message;
    };
    const refusal = (client: TestClient, clientId: string) =>
      client.next('error', (data) => data.clientId === clientId);

    it('should edit your own message: ack with the edit seq, message.edited to the room, latest text in pages', async () => {
      const room = uniqueRoom();
      const alice = await member(room);
      const bob = await member(room);
      const original = await post(alice.client, room, 'helo');
      alice.client.send('edit', { room, id: original.id, text: 'hello', clientId: 'e-1' });
      const ack = await alice.client.next('ack', (data) => data.clientId === 'e-1');
      expect(ack).toMatchObject({ id: original.id, seq: original.seq + 1, room });
      const seen = await bob.client.next('message.edited');
      expect(seen).toEqual({
        room,
        seq: ack.seq,
        id: original.id,
        text: 'hello',
        editedAt: ack.time,
        user: alice.user,
      });
      const page = await request(server.baseUrl)
        .get(`/api/rooms/${room}/messages`)
        .set(bearer(bob.token))
        .expect(200);
      expect(page.body.messages).toEqual([
        expect.objectContaining({ id: original.id, text: 'hello', editedAt: ack.time }),
      ]);
    });

    it("should refuse an edit of someone else's message, and a delete of it by a plain member", async () => {
      const room = uniqueRoom();
      const alice = await member(room);
      const bob = await member(room);
      const original = await post(alice.client, room, 'mine');
      bob.client.send('edit', { room, id: original.id, text: 'yours now', clientId: 'e-2' });
      expect(await refusal(bob.client, 'e-2')).toMatchObject({ code: 'forbidden', event: 'edit', room });
      bob.client.send('delete', { room, id: original.id, clientId: 'd-2' });
      expect(await refusal(bob.client, 'd-2')).toMatchObject({ code: 'forbidden', event: 'delete' });
    });

    it('should let the author and a moderator delete, leaving a tombstone that takes no edit or reaction', async () => {
      const room = uniqueRoom();
      const alice = await member(room);
      const mod = await member(room);
      permissions.roles.set(mod.user.id, 'moderator');
      const first = await post(alice.client, room, 'first');
      const second = await post(alice.client, room, 'second');
      alice.client.send('delete', { room, id: first.id, clientId: 'd-a' });
      await alice.client.next('ack', (data) => data.clientId === 'd-a');
      mod.client.send('delete', { room, id: second.id, clientId: 'd-m' });
      const ack = await mod.client.next('ack', (data) => data.clientId === 'd-m');
      expect(await alice.client.next('message.deleted', (data) => data.id === second.id)).toEqual({
        room,
        seq: ack.seq,
        id: second.id,
        by: mod.user,
      });
      alice.client.send('edit', { room, id: first.id, text: 'revived?', clientId: 'e-t' });
      expect(await refusal(alice.client, 'e-t')).toMatchObject({ code: 'not_found' });
      alice.client.send('react', { room, id: first.id, emoji: '👍', on: true, clientId: 'r-t' });
      expect(await refusal(alice.client, 'r-t')).toMatchObject({ code: 'not_found' });
      const page = await request(server.baseUrl)
        .get(`/api/rooms/${room}/messages`)
        .set(bearer(alice.token))
        .expect(200);
      expect(page.body.messages.map((m: { text: string; deleted?: boolean }) => [m.text, m.deleted])).toEqual(
        [
          ['', true],
          ['', true],
        ],
      );
    });

    it('should refuse a muted member edits and reactions (RoomPermissions.assertCanWrite)', async () => {
      const room = uniqueRoom();
      const alice = await member(room);
      const original = await post(alice.client, room, 'before the mute');
      permissions.muted.add(alice.user.id);
      alice.client.send('edit', { room, id: original.id, text: 'after', clientId: 'e-m' });
      expect(await refusal(alice.client, 'e-m')).toMatchObject({
        code: 'forbidden',
        message: expect.stringContaining('muted'),
      });
      alice.client.send('react', { room, id: original.id, emoji: '🎉', on: true, clientId: 'r-m' });
      expect(await refusal(alice.client, 'r-m')).toMatchObject({ code: 'forbidden' });
      alice.client.send('send', { room, text: 'and a send', clientId: 's-m' });
      expect(await refusal(alice.client, 's-m')).toMatchObject({ code: 'forbidden' });
    });

    it('should answer unknown ids, non-UUID ids and another room’s message with not_found', async () => {
      const room = uniqueRoom();
      const other = uniqueRoom();
      const alice = await member(room);
      alice.client.send('join', { room: other });
      await alice.client.next('joined', (data) => data.room === other);
      const elsewhere = await post(alice.client, other, 'in the other room');
      const ids = [randomUUID(), 'not-a-uuid', "1'; DROP TABLE messages; --", elsewhere.id];
      for (const [index, id] of ids.entries()) {
        alice.client.send('edit', { room, id, text: 'x', clientId: `u-${index}` });
        expect(await refusal(alice.client, `u-${index}`)).toMatchObject({ code: 'not_found', event: 'edit' });
      }
      alice.client.send('send', { room, text: 'reply', clientId: 'u-reply', replyTo: 'not-a-uuid' });
      expect(await refusal(alice.client, 'u-reply')).toMatchObject({ code: 'not_found' });
      alice.client.send('history', { room, threadId: 'not-a-uuid' });
      expect(await alice.client.next('history', (data) => data.room === room)).toMatchObject({
        messages: [],
      });
      const http = await request(server.baseUrl)
        .get(`/api/rooms/${room}/messages?threadId=not-a-uuid`)
        .set(bearer(alice.token));
      expect([http.status, http.body.messages]).toEqual([200, []]);
    });

    it('should take one emoji only, and count a reaction once per user', async () => {
      const room = uniqueRoom();
      const alice = await member(room);
      const bob = await member(room);
      const original = await post(alice.client, room, 'react to me');
      // A family with two skin-tone modifiers: one grapheme of 33 bytes; one modifier and VS16 make 32.
      const thirtyThreeBytes = '👨‍👩‍👧‍👦\u{1F3FB}\u{1F3FB}';
      const thirtyTwoBytes = '👨‍👩‍👧‍👦\u{1F3FB}\uFE0F';
      for (const [index, emoji] of ['👍👍', 'ab', '', thirtyThreeBytes].entries()) {
        bob.client.send('react', { room, id: original.id, emoji, on: true, clientId: `bad-${index}` });
        expect(await bob.client.next('error', (data) => data.event === 'react')).toMatchObject({
          code: 'bad_request',
        });
      }
      bob.client.send('react', { room, id: original.id, emoji: thirtyTwoBytes, on: true, clientId: 'r-32' });
      await bob.client.next('ack', (data) => data.clientId === 'r-32');
      bob.client.send('react', {
        room,
        id: original.id,
        emoji: thirtyTwoBytes,
        on: false,
        clientId: 'r-32-off',
      });
      const [put, takenBack] = await alice.client.take('reaction', 2);
      expect([put?.count, takenBack?.count, takenBack?.on]).toEqual([1, 0, false]);
      bob.client.send('react', { room, id: original.id, emoji: '👍', on: true, clientId: 'r-1' });
      bob.client.send('react', { room, id: original.id, emoji: '👍', on: true, clientId: 'r-2' });
      const [once, twice] = await alice.client.take('reaction', 2);
      expect([once?.count, twice?.count]).toEqual([1, 1]);
      expect(once).toMatchObject({ id: original.id, emoji: '👍', user: bob.user, on: true });
      bob.client.send('history', { room });
      const page = await bob.client.next('history');
      expect(page.messages[0]?.reactions).toEqual([{ emoji: '👍', count: 1, me: true }]);
      alice.client.send('history', { room });
      expect((await alice.client.next('history')).messages[0]?.reactions).toEqual([
        { emoji: '👍', count: 1, me: false },
      ]);
    });

    it('should be idempotent on (user, clientId): a repeated edit is acked again, a send’s clientId cannot edit', async () => {
      const room = uniqueRoom();
      const alice = await member(room);
      const clientId = randomUUID();
      alice.client.send('send', { room, text: 'original', clientId });
      const sent = await alice.client.next('ack', (data) => data.clientId === clientId);
      alice.client.send('edit', { room, id: sent.id, text: 'reused', clientId });
      expect(await refusal(alice.client, clientId)).toMatchObject({
        code: 'bad_request',
        message: expect.stringContaining('new clientId'),
      });
      alice.client.send('edit', { room, id: sent.id, text: 'once', clientId: 'e-once' });
      const first = await alice.client.next('ack', (data) => data.clientId === 'e-once');
      alice.client.send('edit', { room, id: sent.id, text: 'once again?', clientId: 'e-once' });
      const again = await alice.client.next('ack', (data) => data.clientId === 'e-once');
      expect(again).toEqual(first);
      alice.client.send('send', { room, text: 'edit id as a send', clientId: 'e-once' });
      expect(await refusal(alice.client, 'e-once')).toMatchObject({ code: 'bad_request' });
      await alice.client.next('message.edited');
      expect(alice.client.pending('message.edited')).toEqual([]);
    });

    it('should run the word filter on edits, and store a slash command in an edit as text', async () => {
      const room = uniqueRoom();
      const alice = await member(room);
      const original = await post(alice.client, room, 'clean');
      alice.client.send('edit', { room, id: original.id, text: 'now with forbiddenword', clientId: 'e-w' });
      expect(await refusal(alice.client, 'e-w')).toMatchObject({ code: 'forbidden', event: 'edit' });
      alice.client.send('edit', { room, id: original.id, text: '/help', clientId: 'e-c' });
      await alice.client.next('ack', (data) => data.clientId === 'e-c');
      expect(await alice.client.next('message.edited')).toMatchObject({ text: '/help' });
    });

    it('should quote replies and keep threads: thread summary, history by thread, HTTP by thread', async () => {
      const room = uniqueRoom();
      const alice = await member(room);
      const bob = await member(room);
      const root = await post(alice.client, room, 'a root');
      const reply = await post(bob.client, room, 'quoting', { replyTo: root.id });
      expect(reply.replyTo).toEqual({ id: root.id, user: alice.user, text: 'a root' });
      const inThread = await post(bob.client, room, 'in the thread', { threadId: root.id });
      expect(inThread).toMatchObject({
        threadId: root.id,
        thread: { replyCount: 1, lastReplyAt: inThread.time },
      });
      bob.client.send('send', { room, text: 'nested?', clientId: 'nested', threadId: inThread.id });
      expect(await refusal(bob.client, 'nested')).toMatchObject({
        code: 'bad_request',
        message: expect.stringContaining(root.id),
      });
      alice.client.send('history', { room, threadId: root.id });
      const thread = await alice.client.next('history', (data) => data.threadId === root.id);
      expect(thread.messages.map((m) => m.id)).toEqual([inThread.id]);
      const http = await request(server.baseUrl)
        .get(`/api/rooms/${room}/messages?threadId=${root.id}`)
        .set(bearer(alice.token))
        .expect(200);
      expect(http.body.messages.map((m: { id: string }) => m.id)).toEqual([inThread.id]);
      const main = await request(server.baseUrl)
        .get(`/api/rooms/${room}/messages`)
        .set(bearer(alice.token))
        .expect(200);
      expect(main.body.messages[0]).toMatchObject({
        id: root.id,
        thread: { replyCount: 1, lastReplyAt: inThread.time },
      });
    });

    it('should replay the changes to what a resuming client held in joined.changes, in seq order', async () => {
      const room = uniqueRoom();
      const alice = await member(room);
      const held = await post(alice.client, room, 'held');
      const since = held.seq;
      alice.client.send('edit', { room, id: held.id, text: 'held, edited', clientId: 'rs-e' });
      await alice.client.next('ack', (data) => data.clientId === 'rs-e');
      alice.client.send('react', { room, id: held.id, emoji: '🙂', on: true, clientId: 'rs-r' });
      await alice.client.next('ack', (data) => data.clientId === 'rs-r');
      const fresh = await post(alice.client, room, 'fresh');
      const resumed = await TestClient.connect(server.wsUrl, { token: alice.token });
      clients.push(resumed);
      await resumed.next('welcome');
      resumed.send('join', { room, since });
      const joined = await resumed.next('joined', (data) => data.room === room);
      expect(joined.messages.map((m) => m.id)).toEqual([fresh.id]);
      expect(joined.changes?.map((c) => [c.event, c.data.seq])).toEqual([
        ['message.edited', since + 1],
        ['reaction', since + 2],
      ]);
      expect(joined.lastSeq).toBe(fresh.seq);
    });

    it('should give modules the same API: ChatCore.edit logs, fans out and emits MessageEditedEvent', async () => {
      const room = uniqueRoom();
      const alice = await member(room);
      const original = await post(alice.client, room, 'by socket');
      const heard: MessageEdited[] = [];
      const events = server.app.get<EventEmitter2>((await import('@nestjs/event-emitter')).EventEmitter2);
      const listener = (event: MessageEditedEvent) => heard.push(event.edit);
      events.on(MessageEditedEvent.eventName, listener);
      try {
        const outcome = await server.app
          .get(ChatCore)
          .edit({ room, id: original.id, text: 'by module', user: alice.user });
        expect(outcome).toMatchObject({ swallowed: false, duplicate: false });
        expect(await alice.client.next('message.edited')).toMatchObject({ text: 'by module' });
        expect(heard).toEqual([expect.objectContaining({ id: original.id, text: 'by module' })]);
        await expect(
          server.app.get(ChatCore).edit({ room, id: 'nope', text: 'x', user: alice.user }),
        ).rejects.toMatchObject({
          code: 'not_found',
        });
      } finally {
        events.off(MessageEditedEvent.eventName, listener);
      }
    });
  });
}

describeOnEachStore('messages that change', postgres, describeMessageChanges);
