import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import type { AuthResponse } from '@chat/contracts';
import Database from 'better-sqlite3';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { register } from './utils/accounts.js';
import request from 'supertest';
import { membershipApi } from './utils/membership.js';
import { sample } from './utils/raw-http.js';
import { seqsAfter } from './utils/room-log.js';
import { NO_RATE_LIMITS, startApp, type TestApp } from './utils/start-app.js';
import { createTempDir } from './utils/temp-dir.js';
import { closeAll, TestClient } from './utils/test-client.js';

const uniqueRoom = (prefix: string) => `${prefix}-${randomBytes(4).toString('hex')}`;

/** The user's own channel: rooms after welcome, read markers across devices, mentions, counts that survive a restart. */
describe('your own channel', () => {
  let dataDir: ReturnType<typeof createTempDir>;
  let server: TestApp;
  let alice: AuthResponse;
  let bob: AuthResponse;
  const clients: TestClient[] = [];
  const connect = async (token: string) => {
    const client = await TestClient.connect(server.wsUrl, { token });
    clients.push(client);
    await client.next('welcome');
    return client;
  };
  const start = () => startApp({ ...NO_RATE_LIMITS, DATA_DIR: dataDir.path });

  beforeAll(async () => {
    dataDir = createTempDir();
    server = await start();
    [alice, bob] = [await register(server.baseUrl), await register(server.baseUrl)];
  });
  afterEach(async () => {
    await closeAll(clients.splice(0));
  });
  afterAll(async () => {
    await server?.close();
    dataDir.remove();
  });

  it('should send rooms right after welcome, with general for every account', async () => {
    const client = await TestClient.connect(server.wsUrl, { token: bob.token });
    clients.push(client);
    await client.next('welcome');
    const { rooms } = await client.next('rooms');
    expect(rooms.map((room) => room.name)).toContain('general');
    expect(rooms.find((room) => room.name === 'general')).toMatchObject({ kind: 'public', role: 'member' });
  });

  it('should tell the other connections of a user that a read marker moved, and the counts follow', async () => {
    const room = uniqueRoom('read');
    await membershipApi(server.baseUrl, alice.token).createRoom(room);
    await membershipApi(server.baseUrl, alice.token).add(room, bob.user.name);
    const [laptop, phone] = [await connect(alice.token), await connect(alice.token)];
    const writer = await connect(bob.token);
    writer.send('join', { room });
    await writer.next('joined');
    const acks = [];
    for (const text of ['one', 'two', 'three']) {
      writer.send('send', { room, text, clientId: text });
      acks.push(await writer.next('ack'));
    }
    expect((await membershipApi(server.baseUrl, alice.token).myRooms()).get(room)).toMatchObject({
      unread: 3,
      // The owner's own creation entry (seq 1) is read by definition; the messages after it are not.
      readSeq: 1,
    });

    phone.send('read', { room, seq: acks[1]!.seq });
    expect(await laptop.next('read')).toEqual({ room, seq: acks[1]!.seq });
    expect((await membershipApi(server.baseUrl, alice.token).myRooms()).get(room)).toMatchObject({
      unread: 1,
    });
    // A lower marker changes nothing (and is no error): the laptop's next read frame is the phone's later one.
    phone.send('read', { room, seq: 1 });
    phone.send('read', { room, seq: acks[2]!.seq });
    expect(await laptop.next('read')).toEqual({ room, seq: acks[2]!.seq });
    expect(phone.pending('read')).toEqual([]);
    expect(phone.pending('error')).toEqual([]);
    expect((await membershipApi(server.baseUrl, alice.token).myRooms()).get(room)).toMatchObject({
      unread: 0,
    });
  });

  it('should store a burst of reads once, with the highest seq, and echo it once', async () => {
    const room = uniqueRoom('burst');
    await membershipApi(server.baseUrl, alice.token).createRoom(room);
    const [laptop, phone] = [await connect(alice.token), await connect(alice.token)];
    laptop.send('join', { room });
    await laptop.next('joined');
    for (let i = 0; i < 50; i++) laptop.send('send', { room, text: `m${i}`, clientId: `burst-${i}` });
    const acks = await laptop.take('ack', 50);
    const written = async () =>
      sample(
        (await request(server.baseUrl).get('/metrics').expect(200)).text,
        'chat_read_markers_written_total',
      );
    const before = await written();

    // A client scrolling through the room: a read per message it shows, in one burst.
    for (const ack of acks) phone.send('read', { room, seq: ack.seq });
    const last = acks.at(-1)!.seq;
    expect(await laptop.next('read')).toEqual({ room, seq: last }); // sent after the write
    expect(await written()).toBe(before + 1);
    expect(laptop.pending('read')).toEqual([]);
    expect((await membershipApi(server.baseUrl, alice.token).myRooms()).get(room)).toMatchObject({
      readSeq: last,
      unread: 0,
    });
  });

  it('should tell a mentioned member, once the message is stored', async () => {
    const room = uniqueRoom('mention');
    await membershipApi(server.baseUrl, alice.token).createRoom(room);
    await membershipApi(server.baseUrl, alice.token).add(room, bob.user.name);
    const aliceTab = await connect(alice.token);
    const writer = await connect(bob.token);
    writer.send('join', { room });
    await writer.next('joined');
    writer.send('send', { room, text: `look @${alice.user.name}, and @nobody_here`, clientId: 'mention-1' });
    const ack = await writer.next('ack');
    expect(await aliceTab.next('mention')).toEqual({ room, seq: ack.seq, id: ack.id, by: bob.user });
    expect(writer.pending('mention')).toEqual([]);
  });

  it('should report unread and mention counts from the store after a restart', async () => {
    const room = uniqueRoom('restart');
    await membershipApi(server.baseUrl, alice.token).createRoom(room);
    await membershipApi(server.baseUrl, alice.token).add(room, bob.user.name);
    const writer = await connect(bob.token);
    writer.send('join', { room });
    const joined = await writer.next('joined');
    writer.send('send', { room, text: `hey @${alice.user.name}`, clientId: 'r1' });
    const mentioned = await writer.next('ack');
    writer.send('send', { room, text: 'second', clientId: 'r2' });
    const second = await writer.next('ack');
    // The creation and the add are `member` entries of the log: the messages come right after them.
    expect([mentioned.seq, second.seq]).toEqual(seqsAfter(joined.lastSeq, 2));
    await closeAll(clients.splice(0));
    await server.close();
    // The mention row is the message store's own (written with the message), read back after the restart.
    const db = new Database(join(dataDir.path, 'chat.sqlite3'), { readonly: true });
    expect(
      db.prepare('SELECT seq FROM message_mentions WHERE user_id = ? AND room = ?').all(alice.user.id, room),
    ).toEqual([{ seq: mentioned.seq }]);
    db.close();

    server = await start();
    const phone = await connect(alice.token);
    const { rooms } = await phone.next('rooms');
    // unread and mentions count messages only: the member entries before them are not unread.
    expect(rooms.find((r) => r.name === room)).toMatchObject({
      unread: 2,
      mentions: 1,
      lastSeq: second.seq,
      // The owner's own creation entry (seq 1) is read by definition.
      readSeq: 1,
    });
    // The read has no answer; another connection of hers hears it once it is stored.
    const laptop = await connect(alice.token);
    phone.send('read', { room, seq: mentioned.seq });
    expect(await laptop.next('read')).toEqual({ room, seq: mentioned.seq });
    expect((await membershipApi(server.baseUrl, alice.token).myRooms()).get(room)).toMatchObject({
      unread: 1,
      mentions: 0,
    });
  });
});
