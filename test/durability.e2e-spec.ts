import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import type { ChatMessage, MessagesPage } from '@chat/contracts';
import request from 'supertest';
import { bearer, register } from './utils/accounts.js';
import { createTestDatabase, postgresAvailability, type TestDatabase } from './utils/postgres.js';
import { startServerProcess, type ServerProcess } from './utils/server-process.js';
import { NO_RATE_LIMITS } from './utils/start-app.js';
import { describeWithService } from './utils/services.js';
import { createTempDir } from './utils/temp-dir.js';
import { TestClient } from './utils/test-client.js';

const postgres = await postgresAvailability();
const JWT_SECRET = 'durability-test-secret-0123456789abcdef';

/** Every message of a room, oldest first, read back page by page over HTTP. */
async function allMessages(baseUrl: string, token: string, room = 'general'): Promise<ChatMessage[]> {
  const messages: ChatMessage[] = [];
  let before: number | undefined;
  for (;;) {
    const query = before === undefined ? '?limit=100' : `?limit=100&before=${before}`;
    const response = await request(baseUrl)
      .get(`/api/rooms/${room}/messages${query}`)
      .set(bearer(token))
      .expect(200);
    const page = response.body as MessagesPage;
    messages.unshift(...page.messages);
    if (!page.hasMore || page.messages.length === 0) return messages;
    before = page.messages[0]!.seq;
  }
}

function expectGapFree(messages: ChatMessage[]): void {
  expect(messages.map((m) => m.seq)).toEqual(messages.map((_, i) => i + 1));
}

/**
 * The server is SIGKILLed in the middle of a burst. After a restart every acknowledged message
 * is in the history, in the order of its seq, and the seqs have no gaps.
 */
function describeCrashRecovery(engine: string, env: () => Record<string, string>): void {
  describe(`${engine}: kill -9 after a burst of acks`, () => {
    let server: ServerProcess | undefined;

    afterEach(async () => {
      await server?.kill('SIGKILL');
    });

    it('should keep every acknowledged message, in order, across the crash', async () => {
      const running = await startServerProcess(env());
      server = running;
      const { token } = await register(running.baseUrl);
      const client = await TestClient.joined(running.wsUrl, 'general', { token });
      const acked = new Map<string, number>();
      let killed = false;
      client.socket.on('message', (raw) => {
        const frame = JSON.parse(raw.toString()) as {
          event: string;
          data: { clientId: string; seq: number };
        };
        if (frame.event !== 'ack') return;
        acked.set(frame.data.clientId, frame.data.seq);
        // Crash right after a burst of acks, while later sends are still on their way.
        if (acked.size === 50 && !killed) {
          killed = true;
          running.child.kill('SIGKILL');
        }
      });
      let sent = 0;
      while (!killed && sent < 250) {
        client.send('send', { room: 'general', text: `burst ${sent}`, clientId: `b-${sent}` });
        sent++;
        await new Promise((resolve) => setImmediate(resolve));
      }
      await client.closed;
      await running.exited;
      // The crash really interrupted the burst (otherwise this test would prove little).
      expect(acked.size).toBeLessThan(sent);
      expect(client.pending('error')).toEqual([]);

      server = await startServerProcess(env());
      const stored = await allMessages(server.baseUrl, token);
      const storedSeqByClientId = new Map(stored.map((m) => [m.clientId, m.seq]));
      for (const [clientId, seq] of acked) expect(storedSeqByClientId.get(clientId)).toBe(seq);
      expectGapFree(stored);
      // Sends are stored in the order they were sent, so what survived is a prefix of the burst.
      expect(stored.map((m) => m.text)).toEqual(stored.map((_, i) => `burst ${i}`));
    });
  });
}

describe('durability', () => {
  const dataDir = createTempDir();
  afterAll(() => dataDir.remove());

  describeCrashRecovery('SQLite', () => ({ DATA_DIR: dataDir.path, JWT_SECRET, ...NO_RATE_LIMITS }));
});

describeWithService('durability on PostgreSQL', postgres, () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => {
    await database?.drop();
  });

  describeCrashRecovery('PostgreSQL', () => ({ DATABASE_URL: database.url, JWT_SECRET, ...NO_RATE_LIMITS }));
});
