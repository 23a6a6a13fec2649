import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import type { ChatMessage } from '@chat/contracts';
import { register } from './utils/accounts.js';
import { allMessages } from './utils/room-history.js';
import { createTestDatabase, postgresAvailability, type TestDatabase } from './utils/postgres.js';
import { crashAndRestart, startServerProcess, type ServerProcess } from './utils/server-process.js';
import { NO_RATE_LIMITS } from './utils/start-app.js';
import { describeWithService } from './utils/services.js';
import { createTempDir } from './utils/temp-dir.js';
import { TestClient } from './utils/test-client.js';

const postgres = await postgresAvailability();
const JWT_SECRET = 'durability-test-secret-0123456789abcdef';

function expectGapFree(messages: ChatMessage[]): void {
  expect(messages.map((m) => m.seq)).toEqual(messages.map((_, i) => i + 1));
}

/**
 * The server is SIGKILLed in the middle of a burst. After a restart every acknowledged message
 * is in the history, in the order of its seq, and the seqs have no gaps.
 */
/** Sends kept unacknowledged during the burst, and the ack after which the server is killed. */
const SEND_WINDOW = 200;
const KILL_AFTER_ACKS = 1000;

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
      client.socket.on('message', (raw) => {
        const frame = JSON.parse(raw.toString()) as {
          event: string;
          data: { clientId: string; seq: number };
        };
        if (frame.event !== 'ack') return;
        acked.set(frame.data.clientId, frame.data.seq);
      });
      // The window is kept full, and once a burst of acks is in, the server is killed right after
      // a refill: sends are then surely on their way (a kill from the ack handler could land after
      // a fast store had acked everything sent). The window stays under the server's 256
      // unacknowledged sends; the cap only bounds a server that never acks.
      let sent = 0;
      for (;;) {
        while (sent - acked.size < SEND_WINDOW && sent < 5000) {
          client.send('send', { room: 'general', text: `burst ${sent}`, clientId: `b-${sent}` });
          sent++;
        }
        if (acked.size >= KILL_AFTER_ACKS || sent >= 5000) break;
        await new Promise((resolve) => setImmediate(resolve));
      }
      server = await crashAndRestart(running, env());
      await client.closed;
      // The crash came after a burst of acks and really interrupted it (otherwise this test
      // would prove little).
      expect(acked.size).toBeGreaterThanOrEqual(KILL_AFTER_ACKS);
      expect(acked.size).toBeLessThan(sent);
      expect(client.pending('error')).toEqual([]);

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
