import type { Socket } from 'node:net';
import { afterEach, describe, expect, it } from '@jest/globals';
import type { ChatMessage, MessagesPage, User } from '@chat/contracts';
import request from 'supertest';
import WebSocket from 'ws';
import { ChatGateway } from '../apps/api/src/chat/chat.gateway.js';
import { MESSAGE_STORE, type MessageStore } from '../apps/api/src/storage/message-store.js';
import type { ClientConnection } from '../apps/api/src/ws/client-connection.js';
import { bearer, guest } from './utils/accounts.js';
import { Bystander, describeBystander } from './utils/bystander.js';
import { NO_RATE_LIMITS, startApp, type TestApp } from './utils/start-app.js';
import { closeAll, TestClient } from './utils/test-client.js';

/** Issue 12, item 1: no page, and no answer to a ping, can grow past what the server bounds. */
describe('every outgoing byte is bounded', () => {
  let server: TestApp | undefined;
  const clients: TestClient[] = [];

  afterEach(async () => {
    await closeAll(clients.splice(0));
    await server?.close();
    server = undefined;
  });

  const author: User = { id: 'u-author', name: 'Author', guest: false };

  /** Stores messages directly, as a database written before today's text rules would hold them. */
  const seed = async (room: string, count: number, text: (i: number) => string) => {
    const store = server!.app.get<MessageStore>(MESSAGE_STORE);
    await Promise.all(
      Array.from({ length: count }, (_, i) =>
        store.append({ room, user: author, text: text(i), clientId: `seed-${i}` }),
      ),
    );
  };

  /** A joined client that records the size of every frame it receives. */
  const connect = async () => {
    const client = await TestClient.connect(server!.wsUrl, { name: 'Reader' });
    clients.push(client);
    const sizes: number[] = [];
    client.socket.on('message', (raw: Buffer) => sizes.push(raw.length));
    const welcome = await client.next('welcome');
    return { client, sizes, maxFrame: welcome.limits.maxServerFrameBytes! };
  };

  /** Pages back with `history` from `before` until the start of the room; returns every seq seen. */
  const pageBack = async (client: TestClient, room: string, before: number) => {
    const seqs: number[] = [];
    for (let hasMore = true; hasMore;) {
      client.send('history', { room, before, limit: 100 });
      const page = await client.next('history', (data) => data.room === room, 10_000);
      expect(page.messages.length).toBeGreaterThan(0);
      seqs.unshift(...page.messages.map((m: ChatMessage) => m.seq));
      before = page.messages[0]!.seq;
      hasMore = page.hasMore;
    }
    return seqs;
  };

  const worstCases = [
    {
      what: '50 messages of 4,000 U+0001 (24 KB each as JSON)',
      count: 50,
      text: () => '\u0001'.repeat(4000),
    },
    {
      what: '500 plain 4,000-character messages',
      count: 500,
      text: (i: number) => `${i} `.padEnd(4000, 'x'),
    },
    { what: '100 emoji-heavy messages', count: 100, text: () => '😀'.repeat(4000) },
  ];

  it.each(worstCases)(
    'should cut joined and history pages by bytes: $what, joined fresh and resumed, never a 1013',
    async ({ count, text }) => {
      server = await startApp({ ...NO_RATE_LIMITS });
      await seed('general', count, text);
      const bystander = await Bystander.start(server.wsUrl, 10);
      // Several readers at once, as after a restart when every client resumes the room.
      const readers = await Promise.all(Array.from({ length: 4 }, () => connect()));
      await Promise.all(
        readers.map(async ({ client, sizes, maxFrame }) => {
          expect(maxFrame).toBeLessThanOrEqual(1048576 / 2);
          for (const since of [undefined, 0]) {
            client.send('join', since === undefined ? { room: 'general' } : { room: 'general', since });
            const joined = await client.next('joined', undefined, 10_000);
            expect(joined.lastSeq).toBe(count);
            expect(joined.messages.at(-1)?.seq).toBe(count);
            expect(joined.hasMore).toBe(true);
            // Paging back from the page's start reaches seq 1 with nothing missing or repeated.
            const older = await pageBack(client, 'general', joined.messages[0]!.seq);
            const seqs = [...older, ...joined.messages.map((m) => m.seq)];
            expect(seqs).toEqual(Array.from({ length: count }, (_, i) => i + 1));
          }
          expect(client.socket.readyState).toBe(WebSocket.OPEN);
          expect(Math.max(...sizes)).toBeLessThanOrEqual(maxFrame);
        }),
      );

      const report = await bystander.stop();
      console.log(describeBystander(`4 readers joining and paging ${count} worst-case messages`, report));
      expect(report.unanswered).toBe(0);
    },
  );

  it('should deliver the largest possible message whole, in one frame within the published maximum', async () => {
    server = await startApp({ ...NO_RATE_LIMITS });
    await seed('general', 3, () => '\u0001'.repeat(4000));
    const { client, sizes, maxFrame } = await connect();
    client.send('join', { room: 'general' });
    const joined = await client.next('joined');
    // Pages are cut between messages, never inside one.
    expect(joined.messages.every((m) => m.text === '\u0001'.repeat(4000))).toBe(true);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(maxFrame);
  });

  it('should cut the HTTP messages page like the history page', async () => {
    server = await startApp({ ...NO_RATE_LIMITS });
    await seed('general', 100, () => '\u0001'.repeat(4000));
    const { client, maxFrame } = await connect();
    client.send('history', { room: 'general', limit: 100 });
    const page = await client.next('history');
    const { token } = await guest(server.baseUrl, 'Reader');
    const response = await request(server.baseUrl)
      .get('/api/rooms/general/messages?limit=100')
      .set(bearer(token))
      .expect(200);
    const body = response.body as MessagesPage;
    expect(body.hasMore).toBe(true);
    expect(body.messages.map((m) => m.seq)).toEqual(page.messages.map((m) => m.seq));
    expect(Buffer.byteLength(response.text)).toBeLessThanOrEqual(maxFrame);
  });

  it('should send a big room’s presence list and diffs in parts within the published maximum', async () => {
    // A list, not a count: rooms above PRESENCE_LIST_MAX online get `presence.count` instead.
    server = await startApp({
      MAX_PAGE_BYTES: '4096',
      MAX_TEXT_LENGTH: '100',
      PRESENCE_LIST_MAX: '1000',
      ...NO_RATE_LIMITS,
    });
    const observer = await connect();
    observer.client.send('join', { room: 'general' });
    await observer.client.next('joined');
    // Enough users that their list (about 100 bytes each) is several times the smallest page a
    // server allows, one worst-case message (MAX_TEXT_LENGTH 100: about 6.7 KB).
    const crowdSize = 150;
    const names = Array.from({ length: crowdSize }, (_, i) => `guest ${i} `.padEnd(32, '~'));
    const crowd = await Promise.all(
      names.map((name) => TestClient.joined(server!.wsUrl, 'general', { name })),
    );
    clients.push(...crowd);

    // The observer hears of all of them, in diffs that each fit a frame.
    const heard = new Set<string>();
    while (heard.size < crowdSize) {
      const diff = await observer.client.next('presence.diff');
      for (const user of diff.joined) if (names.includes(user.name)) heard.add(user.name);
    }
    // A newcomer gets the whole list, in parts: all but the last say `more`.
    const late = await connect();
    late.client.send('join', { room: 'general' });
    const listed: string[] = [];
    let parts = 0;
    for (let more = true; more; parts++) {
      const part = await late.client.next('presence');
      listed.push(...part.users.map((u) => u.name));
      more = part.more === true;
    }
    expect(parts).toBeGreaterThan(1);
    expect(listed.sort()).toEqual([...names, 'Reader', 'Reader'].sort());
    for (const { sizes, maxFrame } of [observer, late])
      expect(Math.max(...sizes)).toBeLessThanOrEqual(maxFrame);
  });

  describe('control characters in text', () => {
    it('should refuse text with control characters other than newline and tab, in both protocols', async () => {
      server = await startApp({});
      const client = await TestClient.joined(server.wsUrl, 'general', { name: 'Ctrl' });
      const simple = await TestClient.connect(server.wsUrl, { protocols: [] });
      clients.push(client, simple);
      for (const [i, char] of ['\u0001', '\u001b', '\r', '\u007f', '\u0085'].entries()) {
        client.send('send', { room: 'general', text: `a${char}b`, clientId: `c${i}` });
        const error = await client.next('error');
        expect(error).toMatchObject({ code: 'bad_request', event: 'send' });
        expect(error.message).toContain('control characters');
      }
      client.send('send', { room: 'general', text: 'line one\nline\ttwo', clientId: 'ok' });
      expect((await client.next('ack')).clientId).toBe('ok');

      simple.sendRaw(JSON.stringify({ name: 'Sam', message: 'bell\u0007' }));
      const refused = await simple.next('simple', (data) => 'error' in data);
      expect(refused.error).toMatchObject({ code: 'bad_request' });
    });
  });

  describe('WebSocket pings', () => {
    it('should answer pings under the queue cap and cut a client that pings and never reads', async () => {
      const maxQueuedBytes = 65536;
      server = await startApp({ HEARTBEAT_MS: '2000', MAX_QUEUED_BYTES: String(maxQueuedBytes) });
      const opened: ClientConnection[] = [];
      const gateway = server.app.get(ChatGateway);
      const open = gateway.opened.bind(gateway);
      gateway.opened = (connection, request) => {
        opened.push(connection);
        open(connection, request);
      };
      const bystander = await Bystander.start(server.wsUrl);

      // A raw client that never reads (its TCP socket is paused) and pings as fast as it can write.
      const flooder = new WebSocket(server.wsUrl, ['chat.v1']);
      await new Promise((resolve) => flooder.once('open', resolve));
      const connection = opened.at(-1)!;
      const tcp = (flooder as unknown as { _socket: Socket })._socket;
      tcp.pause();
      let closed = false;
      const gone = new Promise<void>((resolve) => {
        flooder.once('close', () => resolve());
        flooder.on('error', () => undefined);
      });
      void gone.then(() => (closed = true));

      let maxBuffered = 0;
      let pings = 0;
      const payload = Buffer.alloc(125, 'p');
      while (!closed) {
        for (let i = 0; i < 500 && !closed; i++, pings++) flooder.ping(payload);
        maxBuffered = Math.max(maxBuffered, connection.socket.bufferedAmount);
        // Writes as fast as the server takes them in, no faster: the flooder's own memory is not the test.
        if (tcp.writableNeedDrain) await Promise.race([new Promise((r) => tcp.once('drain', r)), gone]);
        else await new Promise((resolve) => setImmediate(resolve));
      }
      await gone;

      const report = await bystander.stop();
      console.log(describeBystander(`a ping flood that never reads (${pings} pings written)`, report));
      console.log(`server-side bytes queued to the flooder: at most ${maxBuffered}`);
      expect(maxBuffered).toBeLessThanOrEqual(maxQueuedBytes);
      expect(report.unanswered).toBe(0);
    });

    it('should still answer an honest client’s pings', async () => {
      server = await startApp({});
      const client = new WebSocket(server.wsUrl, ['chat.v1']);
      await new Promise((resolve) => client.once('open', resolve));
      const pongs: string[] = [];
      const all = new Promise<void>((resolve) =>
        client.on('pong', (data: Buffer) => {
          pongs.push(data.toString());
          if (pongs.length === 5) resolve();
        }),
      );
      for (let i = 0; i < 5; i++) client.ping(`p${i}`);
      await all;
      expect(pongs).toEqual(['p0', 'p1', 'p2', 'p3', 'p4']);
      client.close();
    });
  });
});
