import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { randomBytes, randomUUID } from 'node:crypto';
import request from 'supertest';
import { UploadResponseSchema, type ChatMessage, type ErrorPayload } from '@chat/contracts';
import { AttachmentCleanup } from '../apps/api/src/attachments/attachment-cleanup.js';
import { UPLOAD_STORE, type UploadStore } from '../apps/api/src/storage/upload-store.js';
import { bearer, register } from './utils/accounts.js';
import { membershipApi } from './utils/membership.js';
import { describeOnEachStore, postgresAvailability, type StoreEnv } from './utils/postgres.js';
import { NO_RATE_LIMITS, startApp, type TestApp } from './utils/start-app.js';
import { createTempDir } from './utils/temp-dir.js';
import { closeAll, TestClient } from './utils/test-client.js';
import { filesOnDisk } from './utils/uploads.js';

const postgres = await postgresAvailability();
/** Each round races once; a race lost once in a few rounds still fails the test. */
const ROUNDS = 6;
const ORPHAN_HOURS = 24;

type Outcome = { event: 'ack' } | { event: 'error'; error: ErrorPayload };

/** The ack or error that settles `clientId` on this connection (listened to before the send). */
function settled(client: TestClient, clientId: string): Promise<Outcome> {
  return new Promise((resolve) => {
    const onMessage = (raw: Buffer) => {
      const frame = JSON.parse(raw.toString()) as { event?: string; data?: { clientId?: string } };
      if (frame.data?.clientId !== clientId || (frame.event !== 'ack' && frame.event !== 'error')) return;
      client.socket.off('message', onMessage);
      resolve(
        frame.event === 'ack' ? { event: 'ack' } : { event: 'error', error: frame.data as ErrorPayload },
      );
    };
    client.socket.on('message', onMessage);
  });
}

function describeRaces(store: string, env: StoreEnv): void {
  describe(`attachment races (${store})`, () => {
    let server: TestApp;
    let dataDir: ReturnType<typeof createTempDir>;
    const clients: TestClient[] = [];

    beforeAll(async () => {
      dataDir = createTempDir();
      server = await startApp({
        ...env(),
        ...NO_RATE_LIMITS,
        DATA_DIR: dataDir.path,
        UPLOADS_PER_HOUR_PER_USER: '0',
        UPLOAD_BYTES_PER_HOUR_PER_USER: '0',
        UPLOAD_ORPHAN_HOURS: String(ORPHAN_HOURS),
      });
    });
    afterEach(async () => {
      await closeAll(clients.splice(0));
    });
    afterAll(async () => {
      await server?.close();
      dataDir?.remove();
    });

    const uploaded = async (token: string, text: string): Promise<string> => {
      const response = await request(server.baseUrl)
        .post('/api/uploads')
        .set(bearer(token))
        .attach('file', Buffer.from(text), `${text}.txt`);
      expect(response.status).toBe(201);
      return UploadResponseSchema.parse(response.body).id;
    };
    const connected = async (room: string, token: string) => {
      const client = await TestClient.joined(server.wsUrl, room, { token });
      clients.push(client);
      return client;
    };
    /** The message stored under `clientId` in `room` as `token` reads it, if any. */
    const storedIn = async (room: string, token: string, clientId: string) => {
      const page = await membershipApi(server.baseUrl, token).messages(room);
      expect(page.status).toBe(200);
      return (page.body as { messages: ChatMessage[] }).messages.find((m) => m.clientId === clientId);
    };
    const filesOf = (message: ChatMessage | undefined) => message?.attachments?.map((file) => file.id) ?? [];
    const status = async (token: string, id: string) =>
      (await request(server.baseUrl).get(`/api/files/${id}`).set(bearer(token))).status;
    /** The file is still its owner's to send: a new send to `room` takes it. */
    const stillFree = async (client: TestClient, room: string, id: string) => {
      const clientId = randomUUID();
      const outcome = settled(client, clientId);
      client.send('send', { room, text: 'again', clientId, attachments: [id] });
      expect(await outcome).toEqual({ event: 'ack' });
    };

    /**
     * Alice in general (Bob reads it) and in her private room, one connection each, sends with
     * one clientId to both at once. Whatever the interleaving, one message is stored, it shows
     * only the file sent to its room, the private file never becomes readable to Bob, and the
     * refused send's file is still Alice's to send.
     */
    const raceTwoRooms = async (withPublicFile: boolean) => {
      const alice = await register(server.baseUrl);
      const bob = await register(server.baseUrl);
      const secret = `sec-${randomBytes(4).toString('hex')}`;
      expect((await membershipApi(server.baseUrl, alice.token).createRoom(secret, 'private')).status).toBe(
        201,
      );
      const inGeneral = await connected('general', alice.token);
      const inSecret = await connected(secret, alice.token);
      for (let round = 0; round < ROUNDS; round++) {
        const open = withPublicFile ? await uploaded(alice.token, `open-${round}`) : undefined;
        const hidden = await uploaded(alice.token, `hidden-${round}`);
        const clientId = randomUUID();
        const outcomes = [settled(inGeneral, clientId), settled(inSecret, clientId)];
        inGeneral.send('send', {
          room: 'general',
          text: 'for everyone',
          clientId,
          ...(open && { attachments: [open] }),
        });
        inSecret.send('send', { room: secret, text: 'for us', clientId, attachments: [hidden] });
        const [general, secretOutcome] = await Promise.all(outcomes);
        expect([general!.event, secretOutcome!.event].sort()).toEqual(['ack', 'error']);

        const publicMessage = await storedIn('general', bob.token, clientId);
        const privateMessage = await storedIn(secret, alice.token, clientId);
        expect(filesOf(publicMessage)).not.toContain(hidden);
        expect(await status(bob.token, hidden)).toBe(404);
        if (general!.event === 'ack') {
          expect(privateMessage).toBeUndefined();
          expect(filesOf(publicMessage)).toEqual(open ? [open] : []);
          await stillFree(inSecret, secret, hidden);
        } else {
          expect(publicMessage).toBeUndefined();
          expect(filesOf(privateMessage)).toEqual([hidden]);
          if (open) await stillFree(inGeneral, 'general', open);
        }
      }
    };

    it('should keep each file in its room when one clientId is sent to a public and a private room at once', async () => {
      await raceTwoRooms(true);
    });

    it("should not put a private room's file on a message without files sent at once with its clientId", async () => {
      await raceTwoRooms(false);
    });

    it('should show one send’s files, never both, when one clientId carries two sets of files into a room', async () => {
      const alice = await register(server.baseUrl);
      const room = `one-${randomBytes(4).toString('hex')}`;
      const first = await connected(room, alice.token);
      const second = await connected(room, alice.token);
      for (let round = 0; round < ROUNDS; round++) {
        const [a, b] = [await uploaded(alice.token, `a-${round}`), await uploaded(alice.token, `b-${round}`)];
        const clientId = randomUUID();
        const outcomes = Promise.all([settled(first, clientId), settled(second, clientId)]);
        first.send('send', { room, text: 'one', clientId, attachments: [a] });
        second.send('send', { room, text: 'two', clientId, attachments: [b] });
        // One is stored; the other is refused, or answered as its duplicate (same clientId).
        expect((await outcomes).some((outcome) => outcome.event === 'ack')).toBe(true);
        const shown = filesOf(await storedIn(room, alice.token, clientId));
        expect([[a], [b]]).toContainEqual(shown);
        await stillFree(first, room, shown[0] === a ? b : a);
      }
    });

    it('should store a send replayed from a second connection at once (a reconnect) once, with its files', async () => {
      const alice = await register(server.baseUrl);
      const room = `rep-${randomBytes(4).toString('hex')}`;
      const before = await connected(room, alice.token);
      const after = await connected(room, alice.token);
      for (let round = 0; round < ROUNDS; round++) {
        const files = [await uploaded(alice.token, `x-${round}`), await uploaded(alice.token, `y-${round}`)];
        const clientId = randomUUID();
        const outcomes = Promise.all([settled(before, clientId), settled(after, clientId)]);
        before.send('send', { room, text: 'both', clientId, attachments: files });
        after.send('send', { room, text: 'both', clientId, attachments: files });
        expect(await outcomes).toEqual([{ event: 'ack' }, { event: 'ack' }]);
        expect(filesOf(await storedIn(room, alice.token, clientId))).toEqual(files);
      }
    });

    describe('the orphan sweeper and a send', () => {
      const later = () => Date.now() + (ORPHAN_HOURS + 1) * 3600 * 1000;
      const onDisk = () => filesOnDisk(dataDir.path);

      /**
       * Injects the racing order: runs `between` once, right after the store's `step` (for the
       * upload `id`, when the step names one) and before the sweeper goes on.
       */
      const racing = (step: 'stale' | 'markRemoving', between: () => Promise<void>, id?: string) => {
        const uploads = server.app.get<UploadStore>(UPLOAD_STORE);
        const original = uploads[step].bind(uploads) as (...args: unknown[]) => Promise<unknown>;
        const patched = async (...args: unknown[]) => {
          const result = await original(...args);
          if (id !== undefined && args[0] !== id) return result;
          (uploads as unknown as Record<string, unknown>)[step] = original;
          await between();
          return result;
        };
        (uploads as unknown as Record<string, unknown>)[step] = patched;
        return () => ((uploads as unknown as Record<string, unknown>)[step] = original);
      };

      it('should keep the file of a send that took it after the sweeper found it an orphan', async () => {
        const alice = await register(server.baseUrl);
        const room = `sw-${randomBytes(4).toString('hex')}`;
        const client = await connected(room, alice.token);
        const file = await uploaded(alice.token, 'late-sent');
        const clientId = randomUUID();
        let sent: Outcome | undefined;
        const restore = racing('stale', async () => {
          const outcome = settled(client, clientId);
          client.send('send', { room, text: 'just in time', clientId, attachments: [file] });
          sent = await outcome;
        });
        try {
          await server.app.get(AttachmentCleanup).sweep(later());
        } finally {
          restore();
        }
        expect(sent).toEqual({ event: 'ack' });
        expect(filesOf(await storedIn(room, alice.token, clientId))).toEqual([file]);
        expect(onDisk()).toContain(file);
        expect(await status(alice.token, file)).toBe(200);
      });

      it('should refuse a send that takes a file the sweeper is removing: "upload the file again"', async () => {
        const alice = await register(server.baseUrl);
        const room = `sw-${randomBytes(4).toString('hex')}`;
        const client = await connected(room, alice.token);
        const file = await uploaded(alice.token, 'too-late');
        const clientId = randomUUID();
        let refused: Outcome | undefined;
        const restore = racing(
          'markRemoving',
          async () => {
            const outcome = settled(client, clientId);
            client.send('send', { room, text: 'too late', clientId, attachments: [file] });
            refused = await outcome;
          },
          file,
        );
        try {
          await server.app.get(AttachmentCleanup).sweep(later());
        } finally {
          restore();
        }
        expect(refused).toMatchObject({
          event: 'error',
          error: { code: 'bad_request', message: expect.stringContaining('upload the file again') },
        });
        expect(await storedIn(room, alice.token, clientId)).toBeUndefined();
        expect(onDisk()).not.toContain(file);
        expect(await status(alice.token, file)).toBe(404);
        // The send can be made again with a new upload.
        await stillFree(client, room, await uploaded(alice.token, 'again'));
      });
    });
  });
}

describeOnEachStore('attachment races', postgres, describeRaces);
