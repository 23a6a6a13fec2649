import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { ChatMessageSchema, WelcomeSchema } from '@chat/contracts';
import { register } from './utils/accounts.js';
import { NO_RATE_LIMITS, startApp, type TestApp } from './utils/start-app.js';
import { logSeqs, seqRange, seqsAfter } from './utils/room-log.js';
import { closeAll, TestClient } from './utils/test-client.js';

describe('chat over chat.v1', () => {
  let server: TestApp;
  const clients: TestClient[] = [];
  const joined = async (name: string, room = 'general') => {
    const client = await TestClient.joined(server.wsUrl, room, { name });
    clients.push(client);
    return client;
  };
  /**
   * A registered user, who may create rooms by joining them; with the `joined` frame, whose
   * `lastSeq` counts the room's `member` entries (creating it by joining logged one).
   */
  const member = async (room: string) => {
    const { token } = await register(server.baseUrl);
    const entered = await TestClient.joinedWith(server.wsUrl, room, { token });
    clients.push(entered.client);
    return entered;
  };

  beforeAll(async () => {
    server = await startApp(NO_RATE_LIMITS);
  });
  afterEach(async () => {
    await closeAll(clients.splice(0));
  });
  afterAll(async () => {
    await server.close();
  });

  it('should greet every connection with a welcome naming the guest and the limits', async () => {
    const client = await TestClient.connect(server.wsUrl, { name: 'Alice' });
    clients.push(client);
    const welcome = WelcomeSchema.parse(await client.next('welcome'));
    expect(welcome.user).toMatchObject({ name: 'Alice', guest: true });
    expect(welcome.limits.maxTextLength).toBe(4000);
    expect(client.pending()).toEqual([]);
  });

  it('should call a guest without ?name= Anonymous', async () => {
    const client = await TestClient.connect(server.wsUrl);
    clients.push(client);
    expect((await client.next('welcome')).user.name).toBe('Anonymous');
  });

  it('should let two clients chat both ways, each seeing every message once', async () => {
    const alice = await joined('Alice');
    const bob = await joined('Bob');

    alice.send('send', { room: 'general', text: 'hi Bob', clientId: 'a1' });
    const atBob = await bob.next('message', (m) => m.clientId === 'a1');
    bob.send('send', { room: 'general', text: 'hi Alice', clientId: 'b1' });
    const atAlice = await alice.next('message', (m) => m.clientId === 'b1');

    expect(atBob).toMatchObject({ text: 'hi Bob', room: 'general', user: { name: 'Alice', guest: true } });
    expect(atAlice).toMatchObject({ text: 'hi Alice', user: { name: 'Bob' } });
    expect(atAlice.seq).toBe(atBob.seq + 1);
    // Each side also saw its own message, and nothing else is left over.
    await alice.next('message', (m) => m.clientId === 'a1');
    await bob.next('message', (m) => m.clientId === 'b1');
    expect(alice.pending('message')).toEqual([]);
    expect(bob.pending('message')).toEqual([]);
  });

  it('should ack the sender and echo its own message with server-assigned id, seq and ISO time', async () => {
    const alice = await joined('Alice');
    alice.send('send', { room: 'general', text: 'echo?', clientId: 'echo-1' });

    const ack = await alice.next('ack');
    const message = ChatMessageSchema.parse(await alice.next('message', (m) => m.clientId === 'echo-1'));

    expect(ack).toEqual({
      clientId: 'echo-1',
      id: message.id,
      seq: message.seq,
      room: 'general',
      time: message.time,
    });
    expect(message.seq).toBeGreaterThan(0);
    expect(new Date(message.time).toISOString()).toBe(message.time);
  });

  it('should number a room’s log 1, 2, 3… without gaps, member entries and messages alike', async () => {
    const { client: alice, joined: created } = await member('numbers');
    // Creating the room by joining it logged the owner's `member` entry: the log's first.
    expect(created.lastSeq).toBe(1);
    for (let i = 0; i < 5; i++) alice.send('send', { room: 'numbers', text: `n${i}`, clientId: `n${i}` });
    const messages = await alice.take('message', 5);
    expect(messages.map((m) => m.seq)).toEqual(seqsAfter(created.lastSeq, 5));
    expect(messages.map((m) => m.text)).toEqual(['n0', 'n1', 'n2', 'n3', 'n4']);

    // A resume from 0 replays the whole log: its entries are exactly 1..6, the member one included.
    const bob = await TestClient.connect(server.wsUrl, { name: 'Bob' });
    clients.push(bob);
    await bob.next('welcome');
    bob.send('join', { room: 'numbers', since: 0 });
    const replay = await bob.next('joined');
    expect(replay.lastSeq).toBe(6);
    expect(logSeqs(replay)).toEqual(seqRange(1, 6));
    expect(replay.changes?.map((c) => c.event)).toEqual(['member']);
  });

  it('should give a new member the recent messages in joined', async () => {
    const { client: alice, joined: created } = await member('recent');
    alice.send('send', { room: 'recent', text: 'before you came', clientId: 'r1' });
    const ack = await alice.next('ack');
    expect(ack.seq).toBe(created.lastSeq + 1);

    const bob = await TestClient.connect(server.wsUrl, { name: 'Bob' });
    clients.push(bob);
    await bob.next('welcome');
    bob.send('join', { room: 'recent' });
    const joinedFrame = await bob.next('joined');
    // A tokenless guest's join logs nothing: the log still ends at the message.
    expect(joinedFrame).toMatchObject({ room: 'recent', lastSeq: ack.seq, hasMore: false });
    expect(joinedFrame.messages.map((m) => m.text)).toEqual(['before you came']);
  });

  it('should refuse a send to a room the client has not joined', async () => {
    const alice = await joined('Alice');
    alice.send('send', { room: 'elsewhere', text: 'hello?', clientId: 'x1' });
    const error = await alice.next('error');
    expect(error).toMatchObject({ code: 'forbidden', event: 'send', clientId: 'x1' });
    expect(error.message).toContain('join');
  });

  it('should stop delivering to a client that left, and keep delivering to the rest', async () => {
    const alice = await joined('Alice');
    const bob = await joined('Bob');
    const carol = await joined('Carol');

    bob.send('leave', { room: 'general' });
    await bob.next('left');
    await carol.close();
    alice.send('send', { room: 'general', text: 'still here?', clientId: 'after-leave' });

    await alice.next('message', (m) => m.clientId === 'after-leave');
    await expect(bob.next('message', undefined, 300)).rejects.toThrow('no "message" frame');
  });

  it('should keep delivering to everyone while a client disconnects mid-broadcast', async () => {
    const alice = await joined('Alice');
    const bob = await joined('Bob');
    const leaver = await joined('Leaver');

    for (let i = 0; i < 20; i++) {
      alice.send('send', { room: 'general', text: `m${i}`, clientId: `burst-${i}` });
      if (i === 5) leaver.socket.terminate();
    }
    const received = await bob.take('message', 20);
    expect(received.map((m) => m.text)).toEqual(Array.from({ length: 20 }, (_, i) => `m${i}`));
  });

  it('should not make other recipients wait for a client that stopped reading', async () => {
    const alice = await joined('Alice');
    const bob = await joined('Bob');
    const stalled = await joined('Stalled');
    // The client's TCP socket stops reading: the server's writes to it pile up unread.
    (stalled.socket as unknown as { _socket: { pause(): void } })._socket.pause();

    const text = 'x'.repeat(3000);
    for (let i = 0; i < 100; i++) alice.send('send', { room: 'general', text, clientId: `big-${i}` });
    const received = await bob.take('message', 100, 10_000);
    expect(received).toHaveLength(100);
  });

  it('should answer ping with pong, echoing t', async () => {
    const alice = await joined('Alice');
    alice.send('ping', { t: 42 });
    const pong = await alice.next('pong');
    expect(pong.t).toBe(42);
    expect(Date.parse(pong.serverTime)).not.toBeNaN();
  });

  it('should page backwards through a room with history', async () => {
    const { client: alice, joined: created } = await member('paging');
    for (let i = 1; i <= 7; i++) alice.send('send', { room: 'paging', text: `p${i}`, clientId: `p${i}` });
    const seqs = (await alice.take('ack', 7)).map((ack) => ack.seq);
    // The room's creation took seq 1 (its owner's `member` entry); the messages follow it.
    expect(seqs).toEqual(seqsAfter(created.lastSeq, 7));
    const seqOf = (n: number) => seqs[n - 1]!;

    alice.send('history', { room: 'paging', before: seqOf(6), limit: 3 });
    const page = await alice.next('history');
    expect(page.messages.map((m) => m.text)).toEqual(['p3', 'p4', 'p5']);
    expect(page.messages.map((m) => m.seq)).toEqual([seqOf(3), seqOf(4), seqOf(5)]);
    expect(page.hasMore).toBe(true);

    alice.send('history', { room: 'paging', before: seqOf(3), limit: 3 });
    const first = await alice.next('history');
    // The member entry before p1 is no message: the first page holds p1 and p2 only.
    expect(first.messages.map((m) => m.seq)).toEqual([seqOf(1), seqOf(2)]);
    expect(first.hasMore).toBe(false);
  });
});
