import { afterAll, afterEach, describe, expect, it } from '@jest/globals';
import WebSocket from 'ws';
import { register } from './utils/accounts.js';
import { NO_RATE_LIMITS, startApp, type TestApp } from './utils/start-app.js';
import { startServerProcess, type ServerProcess } from './utils/server-process.js';
import { createTempDir } from './utils/temp-dir.js';
import { TestClient } from './utils/test-client.js';

describe('liveness', () => {
  let server: TestApp;

  afterEach(async () => {
    await server?.close();
  });

  it('should terminate a peer that stops answering pings, and keep one that answers', async () => {
    server = await startApp({ HEARTBEAT_MS: '150' });
    // ws answers pings by itself unless told not to: this one plays dead.
    const silent = new WebSocket(server.wsUrl, ['chat.v1'], { autoPong: false });
    const silentClosed = new Promise<number>((resolve) => silent.once('close', (code) => resolve(code)));
    const lively = await TestClient.connect(server.wsUrl);
    expect(await silentClosed).toBe(1006); // cut off, not closed politely: it was not listening anyway
    expect(lively.socket.readyState).toBe(WebSocket.OPEN);
    await lively.close();
  });
});

describe('graceful shutdown (SIGTERM)', () => {
  const dataDir = createTempDir();
  let server: ServerProcess | undefined;

  afterEach(async () => {
    await server?.kill('SIGKILL');
  });
  afterAll(() => dataDir.remove());

  it('should finish in-flight sends, close clients with 1001, and exit 0', async () => {
    const env = {
      DATA_DIR: dataDir.path,
      JWT_SECRET: 'shutdown-test-secret-0123456789abcdef',
      ...NO_RATE_LIMITS,
    };
    const running = await startServerProcess(env);
    server = running;
    const { token } = await register(running.baseUrl);
    const sender = await TestClient.joined(running.wsUrl, 'general', { token });
    const watcher = await TestClient.joined(running.wsUrl, 'general', { name: 'Watcher' });

    for (let i = 0; i < 50; i++)
      sender.send('send', { room: 'general', text: `last words ${i}`, clientId: `lw-${i}` });
    await sender.next('ack'); // the burst has reached the server
    running.child.kill('SIGTERM');

    const [senderClose, watcherClose, exitCode] = await Promise.all([
      sender.closed,
      watcher.closed,
      running.exited,
    ]);
    expect(senderClose.code).toBe(1001);
    expect(watcherClose.code).toBe(1001);
    expect(exitCode).toBe(0);
    // Every send that reached the server before the signal was stored and acknowledged.
    expect(sender.pending('ack')).toHaveLength(49);

    server = await startServerProcess(env);
    const reader = await TestClient.connect(server.wsUrl, { token });
    await reader.next('welcome');
    reader.send('join', { room: 'general', since: 0 });
    const joined = await reader.next('joined');
    expect(joined.messages.map((m) => m.text)).toEqual(
      Array.from({ length: 50 }, (_, i) => `last words ${i}`),
    );
    await reader.close();
  });

  it('should refuse new connections while shutting down', async () => {
    const running = await startServerProcess({ DATA_DIR: dataDir.path });
    server = running;
    const client = await TestClient.connect(running.wsUrl);
    await client.next('welcome');
    running.child.kill('SIGTERM');
    await client.closed;
    // Either refused (503) or no longer listening: never accepted.
    await expect(TestClient.connect(running.wsUrl)).rejects.toThrow();
    expect(await running.exited).toBe(0);
  });
});
