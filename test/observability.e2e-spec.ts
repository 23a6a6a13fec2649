import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { startServerProcess } from './utils/server-process.js';
import { NO_RATE_LIMITS, startApp, type TestApp } from './utils/start-app.js';
import { createTempDir } from './utils/temp-dir.js';
import { TestClient } from './utils/test-client.js';

/** The value of one sample in Prometheus text format, e.g. metric('chat_open_connections{protocol="chat.v1"}'). */
function sample(text: string, name: string): number {
  const line = text.split('\n').find((l) => l.startsWith(`${name} `));
  return line ? Number(line.split(' ')[1]) : NaN;
}

describe('/metrics', () => {
  let server: TestApp;

  beforeAll(async () => {
    server = await startApp({ ...NO_RATE_LIMITS, SEND_RATE_PER_SEC: '1', SEND_BURST: '1' });
  });
  afterAll(async () => {
    await server.close();
  });

  it('should expose connections, messages, fan-out latency, rate-limit hits and process metrics', async () => {
    const metrics = async () => (await request(server.baseUrl).get('/metrics').expect(200)).text;
    const alice = await TestClient.joined(server.wsUrl, 'general', { name: 'Alice' });
    const bob = await TestClient.joined(server.wsUrl, 'general', { name: 'Bob' });
    alice.send('send', { room: 'general', text: 'counted', clientId: 'm1' });
    await bob.next('message');
    // Over the send rate: delayed (and counted), then stored.
    alice.send('send', { room: 'general', text: 'too soon', clientId: 'm2' });
    await bob.next('message', (m) => m.clientId === 'm2');

    const text = await metrics();
    expect(sample(text, 'chat_open_connections{protocol="chat.v1"}')).toBe(2);
    expect(sample(text, 'chat_messages_received_total')).toBe(2);
    expect(sample(text, 'chat_messages_delivered_total')).toBe(4);
    expect(sample(text, 'chat_fanout_latency_seconds_count')).toBe(2);
    expect(sample(text, 'chat_rate_limited_total{limit="send"}')).toBe(1);
    expect(text).toContain('chat_slow_consumers_dropped_total 0');
    expect(text).toMatch(/^process_cpu_user_seconds_total \d/m);
    expect(text).toMatch(/^nodejs_heap_size_used_bytes \d/m);

    await alice.close();
    await bob.close();
    // The server counts a close once its own side of the socket is gone, a moment after the
    // client's: poll for it (with a deadline) rather than guess how long a busy machine takes.
    const open = async () => sample(await metrics(), 'chat_open_connections{protocol="chat.v1"}');
    for (const deadline = Date.now() + 10_000; (await open()) !== 0 && Date.now() < deadline;) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(await open()).toBe(0);
  });
});

describe('logs', () => {
  it('should write one JSON line per connection open and close, with id, user, duration and close code', async () => {
    const dataDir = createTempDir();
    let welcome: { userId: string; connectionId: string } | undefined;
    const server = await startServerProcess({
      DATA_DIR: dataDir.path,
      NODE_ENV: 'production',
      LOG_LEVEL: 'info',
    });
    try {
      const client = await TestClient.connect(server.wsUrl, { name: 'Logged' });
      const { user, connectionId } = await client.next('welcome');
      welcome = { userId: user.id, connectionId };
      client.send('join', { room: 'general' });
      await client.next('joined');
      client.send('send', { room: 'general', text: 'the secret text', clientId: 'log1' });
      await client.next('ack');
      client.socket.close(4000, 'bye');
      await client.closed;
      // The server logs the close when it has handled it: wait for that line, not a fixed time.
      for (const deadline = Date.now() + 10_000; Date.now() < deadline;) {
        if (server.output().includes('"msg":"connection closed"')) break;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    } finally {
      await server.kill('SIGTERM');
      dataDir.remove();
    }
    const lines = server
      .output()
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    const opened = lines.filter((l) => l.msg === 'connection opened');
    const closed = lines.filter((l) => l.msg === 'connection closed');
    expect(opened).toHaveLength(1);
    expect(closed).toHaveLength(1);
    expect(closed[0]).toMatchObject({ level: 30, protocol: 'chat.v1', closeCode: 4000 });
    expect(opened[0]).toMatchObject(welcome);
    expect(closed[0]).toMatchObject(welcome);
    expect(closed[0]!.durationMs).toBeGreaterThan(0);
    expect(server.output()).not.toContain('the secret text');
  });
});
