import { afterEach, describe, expect, it } from '@jest/globals';
import WebSocket from 'ws';
import { NO_RATE_LIMITS, startApp, type TestApp } from './utils/start-app.js';
import { closeAll, TestClient } from './utils/test-client.js';

/** The TCP socket under a ws client, to stop (and restart) reading from it. */
const tcp = (client: TestClient) =>
  (client.socket as unknown as { _socket: { pause(): void; resume(): void } })._socket;

describe('limits', () => {
  let server: TestApp | undefined;
  const clients: TestClient[] = [];

  afterEach(async () => {
    await closeAll(clients.splice(0));
    await server?.close();
    server = undefined;
  });

  const start = async (env: Record<string, string>) => {
    server = await startApp(env);
    return server;
  };
  const joined = async (name: string) => {
    const client = await TestClient.joined(server!.wsUrl, 'general', { name });
    clients.push(client);
    return client;
  };

  describe('frame size (MAX_FRAME_BYTES)', () => {
    it('should close a connection that sends a frame over the limit with 1009, and keep others', async () => {
      await start({ MAX_FRAME_BYTES: '2048' });
      const big = await joined('Big');
      const other = await joined('Other');
      big.sendRaw(
        JSON.stringify({ event: 'send', data: { room: 'general', text: 'x'.repeat(3000), clientId: 'b' } }),
      );
      expect((await big.closed).code).toBe(1009);
      other.send('ping', {});
      await other.next('pong');
    });

    it('should accept a frame just under the limit', async () => {
      await start({ MAX_FRAME_BYTES: '2048' });
      const client = await joined('Fits');
      client.send('send', { room: 'general', text: 'y'.repeat(1900), clientId: 'fits' });
      await client.next('ack');
    });
  });

  describe('send rate (SEND_RATE_PER_SEC, SEND_BURST)', () => {
    // Sends over the rate are delayed (the server reads the connection more slowly), never refused.
    it('should delay sends over the burst, not refuse them: every one is acked, in order', async () => {
      await start({ SEND_RATE_PER_SEC: '5', SEND_BURST: '3' });
      const client = await joined('Hasty');
      for (let i = 0; i < 8; i++) client.send('send', { room: 'general', text: `m${i}`, clientId: `r${i}` });
      const acks = await client.take('ack', 8);
      expect(acks.map((a) => a.clientId)).toEqual(['r0', 'r1', 'r2', 'r3', 'r4', 'r5', 'r6', 'r7']);
      expect(client.pending('error')).toEqual([]);
    });

    it('should not close a connection that keeps sending over the limit: it is slowed down', async () => {
      await start({ SEND_RATE_PER_SEC: '20', SEND_BURST: '1' });
      const client = await joined('Pusher');
      const bystander = await joined('Bystander');
      for (let i = 0; i < 40; i++) client.send('send', { room: 'general', text: 'more', clientId: `s${i}` });
      expect((await client.take('ack', 40, 10_000)).map((a) => a.clientId)).toEqual(
        Array.from({ length: 40 }, (_, i) => `s${i}`),
      );
      expect(client.pending('error')).toEqual([]);
      expect(client.socket.readyState).toBe(WebSocket.OPEN);
      bystander.send('send', { room: 'general', text: 'still fine', clientId: 'fine' });
      await bystander.next('ack');
    });
  });

  describe('frame rate (FRAME_RATE_PER_SEC, FRAME_BURST)', () => {
    it('should answer every frame over the limit, later and in order, without a word of refusal', async () => {
      await start({ FRAME_RATE_PER_SEC: '20', FRAME_BURST: '10' });
      const client = await joined('Flood');
      for (let i = 0; i < 40; i++) client.send('ping', { t: i });
      const pongs = await client.take('pong', 40);
      expect(pongs.map((p) => p.t)).toEqual(Array.from({ length: 40 }, (_, i) => i));
      expect(client.pending('error')).toEqual([]);
      expect(client.socket.readyState).toBe(WebSocket.OPEN);
    });
  });

  describe('connections per IP (MAX_CONNECTIONS_PER_IP)', () => {
    it('should refuse the upgrade with HTTP 429 past the limit, and allow it again after a close', async () => {
      await start({ MAX_CONNECTIONS_PER_IP: '2' });
      const a = await TestClient.connect(server!.wsUrl);
      const b = await TestClient.connect(server!.wsUrl);
      clients.push(a, b);
      await expect(TestClient.connect(server!.wsUrl)).rejects.toThrow('HTTP 429');
      await a.close();
      // The slot is released once the socket is gone.
      await new Promise((resolve) => setTimeout(resolve, 50));
      const c = await TestClient.connect(server!.wsUrl);
      clients.push(c);
      await c.next('welcome');
    });
  });

  describe('origin', () => {
    const connectFrom = (origin: string | undefined) =>
      TestClient.connect(server!.wsUrl, { headers: origin ? { Origin: origin } : {} }).then((client) => {
        clients.push(client);
        return client;
      });

    it('should refuse a browser upgrade from a foreign origin with HTTP 403', async () => {
      await start({});
      await expect(connectFrom('https://evil.example')).rejects.toThrow('HTTP 403');
      await expect(connectFrom('null')).rejects.toThrow('HTTP 403');
    });

    // The dev server's origin is allowed only in development: test/exposure.e2e-spec.ts.
    it('should accept the server’s own origin, ALLOWED_ORIGINS, and no Origin at all', async () => {
      await start({ ALLOWED_ORIGINS: 'https://chat.example.com' });
      for (const origin of [
        `http://127.0.0.1:${server!.port}`,
        `http://localhost:${server!.port}`,
        'https://chat.example.com',
        undefined,
      ]) {
        await (await connectFrom(origin)).next('welcome');
      }
    });

    it('should explain the refusal in the response body', async () => {
      await start({});
      const body = await new Promise<string>((resolve) => {
        const socket = new WebSocket(server!.wsUrl, { headers: { Origin: 'https://evil.example' } });
        socket.on('unexpected-response', (_req, res) => {
          let text = '';
          res.on('data', (chunk: Buffer) => (text += chunk.toString()));
          res.on('end', () => resolve(text));
        });
        socket.on('error', () => undefined);
      });
      expect(body).toContain('ALLOWED_ORIGINS');
    });
  });

  describe('slow consumers (MAX_QUEUED_BYTES)', () => {
    it('should close a client that stops reading with 1013, while the others keep getting every message fast', async () => {
      await start({ MAX_QUEUED_BYTES: '262144', MAX_TEXT_LENGTH: '40000', ...NO_RATE_LIMITS });
      const sender = await joined('Sender');
      const healthy = await joined('Healthy');
      const slow = await joined('Slow');
      tcp(slow).pause();

      const latencies: number[] = [];
      const text = 'z'.repeat(30_000);
      const sentAt = new Map<string, number>();
      healthy.socket.on('message', (raw) => {
        const frame = JSON.parse(raw.toString()) as { event: string; data: { clientId?: string } };
        const at =
          frame.event === 'message' && frame.data.clientId ? sentAt.get(frame.data.clientId) : undefined;
        if (at !== undefined) latencies.push(performance.now() - at);
      });
      for (let i = 0; i < 300; i++) {
        sentAt.set(`big-${i}`, performance.now());
        sender.send('send', { room: 'general', text, clientId: `big-${i}` });
        if (i % 20 === 19) await sender.take('ack', 20);
      }
      await healthy.take('message', 300, 20_000);
      // The slow client reads again: it finds what was queued before the cut-off, then the close.
      tcp(slow).resume();
      expect((await slow.closed).code).toBe(1013);
      const received = slow.pending('message').length;
      expect(received).toBeGreaterThan(0);
      expect(received).toBeLessThan(300);

      latencies.sort((a, b) => a - b);
      const p99 = latencies[Math.floor(latencies.length * 0.99)]!;
      // Generous on a loaded machine; what matters is that nobody waited for the stalled client.
      expect(p99).toBeLessThan(1000);
    });
  });
});
