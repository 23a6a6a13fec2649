import { afterAll, afterEach, describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { register } from './utils/accounts.js';
import { allMessages } from './utils/room-history.js';
import { crashAndRestart, startServerProcess, type ServerProcess } from './utils/server-process.js';
import { NO_RATE_LIMITS } from './utils/start-app.js';
import { createTempDir } from './utils/temp-dir.js';

const CLI = fileURLToPath(new URL('../examples/client-node/send-messages.mjs', import.meta.url));
const JWT_SECRET = 'client-node-test-secret-0123456789abcdef';
const COUNT = 100;
/** The server is killed once this many messages are stored: well inside the run. */
const KILL_AFTER = 30;

/**
 * The package's Node example (`examples/client-node`, @chat/client over `ws`) sends 100 messages
 * while the server is killed with SIGKILL and started again on the same data: every message is
 * reported stored exactly once, and the room holds exactly those 100, once each, in order.
 */
describe('@chat/client from Node: 100 messages through a kill -9', () => {
  const dataDir = createTempDir();
  const env = { DATA_DIR: dataDir.path, JWT_SECRET, ...NO_RATE_LIMITS };
  let server: ServerProcess | undefined;

  afterEach(async () => {
    await server?.kill('SIGKILL');
  });
  afterAll(() => dataDir.remove());

  it('should deliver exactly 100, each once and in order, across the crash and restart', async () => {
    const first = await startServerProcess(env);
    server = first;
    const { token } = await register(first.baseUrl);

    // Paced by the example itself (one message every 20 ms), so the kill lands mid-run.
    const cli = spawn(
      process.execPath,
      [CLI, '--url', first.wsUrl, '--token', token, '--count', String(COUNT), '--interval-ms', '20'],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let output = '';
    const delivered: string[] = [];
    let killed: Promise<void> | undefined;
    cli.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    cli.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      for (const [, clientId] of chunk.toString().matchAll(/^delivered \d+\/\d+ (\S+)$/gm))
        delivered.push(clientId!);
      if (!killed && delivered.length >= KILL_AFTER) {
        killed = (async () => {
          server = await crashAndRestart(first, env);
        })();
      }
    });
    const exitCode = await new Promise<number | null>((resolve) => cli.once('exit', resolve));
    await killed;

    expect({ exitCode, output }).toMatchObject({ exitCode: 0 });
    // The crash really interrupted the run: messages were still to be written or sent after it.
    expect(killed).toBeDefined();
    expect(output).toMatch(/connection (reconnecting|offline)/);
    expect(output).toMatch(
      new RegExp(`^done: ${COUNT} delivered \\(\\d+ by ack, \\d+ by stored copy\\), 0 failed$`, 'm'),
    );
    expect(delivered).toHaveLength(COUNT);
    expect(new Set(delivered).size).toBe(COUNT);

    const stored = (await allMessages(server!.baseUrl, token)).filter((m) => m.clientId);
    expect(stored.map((m) => m.text)).toEqual(Array.from({ length: COUNT }, (_, i) => `message ${i}`));
    expect(new Set(stored.map((m) => m.clientId))).toEqual(new Set(delivered));
  }, 90_000);
});
