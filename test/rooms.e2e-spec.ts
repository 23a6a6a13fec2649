import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { HttpErrorSchema, MessagesPageSchema, RoomListSchema, type RoomSummary } from '@chat/contracts';
import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { bearer, guest, register } from './utils/accounts.js';
import { seqsAfter } from './utils/room-log.js';
import { startApp, type TestApp } from './utils/start-app.js';
import { closeAll, TestClient } from './utils/test-client.js';

/** A room name no other test uses. */
const uniqueRoom = (prefix = 'room') => `${prefix}-${randomBytes(4).toString('hex')}`;

describe('rooms', () => {
  let server: TestApp;
  let memberToken: string;
  let guestToken: string;
  const clients: TestClient[] = [];
  const connect = async (options: Parameters<typeof TestClient.connect>[1]) => {
    const client = await TestClient.connect(server.wsUrl, options);
    clients.push(client);
    await client.next('welcome');
    return client;
  };
  const join = async (client: TestClient, room: string) => {
    client.send('join', { room });
    return client.next('joined', (data) => data.room === room);
  };
  const roomList = async (token = memberToken): Promise<Map<string, RoomSummary>> => {
    const response = await request(server.baseUrl).get('/api/rooms').set(bearer(token));
    expect(response.status).toBe(200);
    return new Map(RoomListSchema.parse(response.body).rooms.map((room) => [room.name, room]));
  };

  beforeAll(async () => {
    server = await startApp();
    memberToken = (await register(server.baseUrl)).token;
    guestToken = (await guest(server.baseUrl, 'Gina')).token;
  });
  afterEach(async () => {
    await closeAll(clients.splice(0));
  });
  afterAll(async () => {
    await server.close();
  });

  describe('joining (RoomAccessGuard)', () => {
    it('should refuse a guest joining a room that does not exist with forbidden, creating nothing', async () => {
      const room = uniqueRoom('nowhere');
      const client = await connect({ name: 'Gus' });
      client.send('join', { room });

      const error = await client.next('error');
      expect(error).toMatchObject({ code: 'forbidden', event: 'join' });
      expect(error.message).toContain(room);
      expect(client.pending('joined')).toEqual([]);
      expect((await roomList()).has(room)).toBe(false);
      // The connection stays usable, and the guest is not a member.
      client.send('send', { room, text: 'hello?', clientId: 'g1' });
      expect(await client.next('error')).toMatchObject({ code: 'forbidden', event: 'send', clientId: 'g1' });
    });

    it('should let a registered user create a room by joining it, after which a guest may join it', async () => {
      const room = uniqueRoom('fresh');
      const owner = await connect({ token: memberToken });
      // The room's log holds one entry, and no message: the owner's `member` entry (creating it).
      expect(await join(owner, room)).toEqual({ room, lastSeq: 1, messages: [], hasMore: false });
      expect((await roomList()).has(room)).toBe(true);

      const visitor = await connect({ name: 'Gus' });
      expect((await join(visitor, room)).room).toBe(room);
      owner.send('send', { room, text: 'welcome', clientId: 'w1' });
      expect((await visitor.next('message', (m) => m.clientId === 'w1')).text).toBe('welcome');
    });

    it('should let a guest in once a refused room has been created (a missing room is not remembered)', async () => {
      const room = uniqueRoom('later');
      const visitor = await connect({ name: 'Gus' });
      visitor.send('join', { room });
      expect(await visitor.next('error')).toMatchObject({ code: 'forbidden', event: 'join' });

      // An owner of its own: the shared member's room-creation quota is other tests' to spend.
      const owner = await connect({ token: (await register(server.baseUrl)).token });
      await join(owner, room);
      expect((await join(visitor, room)).room).toBe(room);
      // A second guest is let in by the room's remembered existence, and still hears the room.
      const second = await connect({ name: 'Gwen' });
      expect((await join(second, room)).room).toBe(room);
      owner.send('send', { room, text: 'both of you', clientId: 'b1' });
      expect((await second.next('message', (m) => m.clientId === 'b1')).text).toBe('both of you');
    });

    it('should let a guest with a guest token join room general, which always exists', async () => {
      const client = await connect({ token: guestToken });
      expect((await join(client, 'general')).room).toBe('general');
    });

    it.each([
      ['uppercase letters', 'General'],
      ['a leading dash', '-room'],
      ['a space', 'my room'],
      ['33 characters', 'r'.repeat(33)],
      ['an empty name', ''],
    ])('should refuse a room name with %s with bad_request naming the room', async (_, room) => {
      for (const options of [{ token: memberToken }, { name: 'Gus' }]) {
        const client = await connect(options);
        client.send('join', { room });
        const error = await client.next('error');
        expect(error).toMatchObject({ code: 'bad_request', event: 'join' });
        expect(error.message).toContain('room');
      }
    });
  });

  describe('GET /api/rooms', () => {
    it('should list general and created rooms with distinct online users and lastActivity', async () => {
      const busy = uniqueRoom('busy');
      const quiet = uniqueRoom('quiet');
      const created = await request(server.baseUrl)
        .post('/api/rooms')
        .set(bearer(memberToken))
        .send({ name: quiet });
      expect(created.status).toBe(201);

      // One registered user with two tabs and one guest: two users online.
      const tab1 = await connect({ token: memberToken });
      const made = await join(tab1, busy);
      const tab2 = await connect({ token: memberToken });
      await join(tab2, busy);
      const visitor = await connect({ name: 'Gus' });
      await join(visitor, busy);
      tab1.send('send', { room: busy, text: 'first', clientId: 'b1' });
      const ack = await tab1.next('ack');
      // Nothing was logged between the creation and the message: the tab and the guest joined no one new.
      expect(ack.seq).toBe(made.lastSeq + 1);

      const rooms = await roomList(guestToken);
      expect(rooms.get('general')).toBeDefined();
      // The creator is the one member: guests' tokenless connections do not stay members.
      expect(rooms.get(busy)).toEqual({
        name: busy,
        kind: 'public',
        memberCount: 1,
        online: 2,
        lastActivity: ack.time,
        lastSeq: ack.seq,
      });
      expect(rooms.get(quiet)).toEqual({
        name: quiet,
        kind: 'public',
        memberCount: 1,
        online: 0,
        // Its log holds the creation's `member` entry only; activity counts messages.
        lastActivity: null,
        lastSeq: 1,
      });
    });

    it('should stop counting a user once their last connection has left', async () => {
      const room = uniqueRoom('count');
      const owner = await connect({ token: memberToken });
      await join(owner, room);
      const visitor = await connect({ name: 'Gus' });
      await join(visitor, room);
      expect((await roomList()).get(room)?.online).toBe(2);

      visitor.send('leave', { room });
      await visitor.next('left');
      expect((await roomList()).get(room)?.online).toBe(1);
    });

    it('should answer without a token with 401 unauthorized', async () => {
      const response = await request(server.baseUrl).get('/api/rooms');
      expect(response.status).toBe(401);
      expect(HttpErrorSchema.parse(response.body).code).toBe('unauthorized');
    });
  });

  describe('POST /api/rooms', () => {
    it('should refuse a guest with 403 forbidden and create nothing', async () => {
      const room = uniqueRoom('guestmade');
      const response = await request(server.baseUrl)
        .post('/api/rooms')
        .set(bearer(guestToken))
        .send({ name: room });
      expect(response.status).toBe(403);
      expect(response.body.code).toBe('forbidden');
      expect((await roomList()).has(room)).toBe(false);
    });

    // The contract (issue 14) answers 409 for a taken name; before it, an existing room was 200.
    it('should create a room for a registered user with 201 and its RoomInfo, then answer 409 when it exists', async () => {
      const room = uniqueRoom('made');
      const first = await request(server.baseUrl)
        .post('/api/rooms')
        .set(bearer(memberToken))
        .send({ name: room });
      expect(first.status).toBe(201);
      expect(first.body).toMatchObject({
        name: room,
        kind: 'public',
        role: 'owner',
        memberCount: 1,
        unread: 0,
      });

      const again = await request(server.baseUrl)
        .post('/api/rooms')
        .set(bearer(memberToken))
        .send({ name: room });
      expect(again.status).toBe(409);
      expect(again.body.code).toBe('conflict');
      expect((await roomList()).has(room)).toBe(true);

      // A guest may now join it.
      const visitor = await connect({ name: 'Gus' });
      expect((await join(visitor, room)).room).toBe(room);
    });

    it('should answer 409 for general, which always exists', async () => {
      const response = await request(server.baseUrl)
        .post('/api/rooms')
        .set(bearer(memberToken))
        .send({ name: 'general' });
      expect(response.status).toBe(409);
    });

    it('should refuse an invalid room name with 400 naming the field', async () => {
      const response = await request(server.baseUrl)
        .post('/api/rooms')
        .set(bearer(memberToken))
        .send({ name: 'Not A Room' });
      expect(response.status).toBe(400);
      expect(response.body.code).toBe('bad_request');
      expect(response.body.message).toContain('name:');
    });

    it('should answer without a token with 401', async () => {
      const response = await request(server.baseUrl).post('/api/rooms').send({ name: uniqueRoom() });
      expect(response.status).toBe(401);
      expect(response.body.code).toBe('unauthorized');
    });
  });

  describe('GET /api/rooms/:room/messages', () => {
    let pagedRoom: string;
    /** The seqs of p1..p7: the room's log position at creation + 1 … + 7 (checked when written). */
    let seqs: number[];
    /** The seq of message pN. */
    const seqOf = (n: number) => seqs[n - 1]!;
    const page = (query: string, token = guestToken) =>
      request(server.baseUrl).get(`/api/rooms/${pagedRoom}/messages${query}`).set(bearer(token));

    beforeAll(async () => {
      pagedRoom = uniqueRoom('paged');
      const { client: writer, joined } = await TestClient.joinedWith(server.wsUrl, pagedRoom, {
        token: memberToken,
      });
      for (let i = 1; i <= 7; i++) writer.send('send', { room: pagedRoom, text: `p${i}`, clientId: `p${i}` });
      seqs = (await writer.take('ack', 7)).map((ack) => ack.seq);
      await writer.close();
      // Creating the room logged the owner's `member` entry: the messages take the next seqs, gap-free.
      expect(seqs).toEqual(seqsAfter(joined.lastSeq, 7));
    });

    it('should return the newest messages, oldest first, with hasMore', async () => {
      const response = await page('?limit=3');
      expect(response.status).toBe(200);
      const body = MessagesPageSchema.parse(response.body);
      expect(body.room).toBe(pagedRoom);
      expect(body.messages.map((m) => m.seq)).toEqual([seqOf(5), seqOf(6), seqOf(7)]);
      expect(body.messages.map((m) => m.text)).toEqual(['p5', 'p6', 'p7']);
      expect(body.hasMore).toBe(true);
    });

    it('should page backwards with before until hasMore is false', async () => {
      const middle = await page(`?before=${seqOf(5)}&limit=3`);
      expect(middle.body.messages.map((m: { seq: number }) => m.seq)).toEqual([seqOf(2), seqOf(3), seqOf(4)]);
      expect(middle.body.hasMore).toBe(true);

      // Only the member entry is older than p1, and it is no message: the last page is p1, and it is the end.
      const first = await page(`?before=${seqOf(2)}&limit=3`);
      expect(first.body.messages.map((m: { seq: number }) => m.seq)).toEqual([seqOf(1)]);
      expect(first.body.hasMore).toBe(false);
    });

    it('should return every message without a query when there are fewer than the default limit', async () => {
      const response = await page('', memberToken);
      expect(response.status).toBe(200);
      expect(response.body.messages.map((m: { seq: number }) => m.seq)).toEqual(seqs);
      expect(response.body.hasMore).toBe(false);
    });

    it('should answer 404 not_found for a room that does not exist', async () => {
      const response = await request(server.baseUrl)
        .get(`/api/rooms/${uniqueRoom('ghost')}/messages`)
        .set(bearer(guestToken));
      expect(response.status).toBe(404);
      expect(response.body.code).toBe('not_found');
    });

    it.each([['UPPER'], ['-dash'], ['has%20space'], ['r'.repeat(33)]])(
      'should answer 400 for the room name %s',
      async (room) => {
        const response = await request(server.baseUrl)
          .get(`/api/rooms/${room}/messages`)
          .set(bearer(guestToken));
        expect(response.status).toBe(400);
        expect(response.body.code).toBe('bad_request');
      },
    );

    it.each([
      ['before=abc', 'before'],
      ['before=0', 'before'],
      ['before=1.5', 'before'],
      ['limit=0', 'limit'],
      ['limit=101', 'limit'],
      ['limit=-1', 'limit'],
    ])('should answer 400 naming the field for the query %s', async (query, field) => {
      const response = await page(`?${query}`);
      expect(response.status).toBe(400);
      expect(response.body.code).toBe('bad_request');
      expect(response.body.message).toContain(`${field}:`);
    });

    it('should answer without a token with 401', async () => {
      const response = await request(server.baseUrl).get(`/api/rooms/${pagedRoom}/messages`);
      expect(response.status).toBe(401);
      expect(response.body.code).toBe('unauthorized');
    });
  });
});

describe('rooms with MAX_ROOMS_PER_CONNECTION=2', () => {
  let server: TestApp;
  const clients: TestClient[] = [];

  beforeAll(async () => {
    server = await startApp({ MAX_ROOMS_PER_CONNECTION: '2' });
  });
  afterEach(async () => {
    await closeAll(clients.splice(0));
  });
  afterAll(async () => {
    await server.close();
  });

  it('should refuse a third room with forbidden, and allow it again after a leave', async () => {
    const { token } = await register(server.baseUrl);
    const client = await TestClient.joined(server.wsUrl, 'general', { token });
    clients.push(client);
    client.send('join', { room: 'second' });
    await client.next('joined', (data) => data.room === 'second');

    client.send('join', { room: 'third' });
    const error = await client.next('error');
    expect(error).toMatchObject({ code: 'forbidden', event: 'join' });
    expect(error.message).toContain('2 rooms');
    expect(client.pending('joined')).toEqual([]);
    const rooms = await request(server.baseUrl).get('/api/rooms').set(bearer(token));
    expect(rooms.body.rooms.map((r: RoomSummary) => r.name)).not.toContain('third');

    // Joining a room again is not a new room.
    client.send('join', { room: 'second' });
    await client.next('joined', (data) => data.room === 'second');

    client.send('leave', { room: 'general' });
    await client.next('left');
    client.send('join', { room: 'third' });
    expect((await client.next('joined', (data) => data.room === 'third')).room).toBe('third');
  });

  it('should count per connection: another connection of the same user has its own budget', async () => {
    const { token } = await register(server.baseUrl);
    const first = await TestClient.joined(server.wsUrl, 'general', { token });
    clients.push(first);
    first.send('join', { room: 'budget-a' });
    await first.next('joined');

    const second = await TestClient.joined(server.wsUrl, 'budget-a', { token });
    clients.push(second);
    second.send('join', { room: 'budget-b' });
    expect((await second.next('joined', (data) => data.room === 'budget-b')).room).toBe('budget-b');
  });
});
