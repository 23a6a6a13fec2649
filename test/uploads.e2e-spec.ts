import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { randomBytes, randomUUID } from 'node:crypto';
import request from 'supertest';
import { UploadResponseSchema, type ChatMessage, type UploadResponse } from '@chat/contracts';
import sharp from 'sharp';
import { AttachmentCleanup } from '../apps/api/src/attachments/attachment-cleanup.js';
import { bearer, guest, register } from './utils/accounts.js';
import { membershipApi } from './utils/membership.js';
import { describeOnEachStore, postgresAvailability, type StoreEnv } from './utils/postgres.js';
import { NO_RATE_LIMITS, startApp, type TestApp } from './utils/start-app.js';
import { createTempDir } from './utils/temp-dir.js';
import { closeAll, TestClient } from './utils/test-client.js';
import { bombPng, eventually, filesOnDisk, pngOf, streamUpload, zipOfZeros } from './utils/uploads.js';

const postgres = await postgresAvailability();
const uniqueRoom = () => `up-${randomBytes(4).toString('hex')}`;
/** Small, so that "over the limit" costs the test little. */
const MAX_BYTES = 256 * 1024;

function describeUploads(store: string, env: StoreEnv): void {
  describe(`file attachments (${store})`, () => {
    let server: TestApp;
    let dataDir: ReturnType<typeof createTempDir>;
    const clients: TestClient[] = [];

    beforeAll(async () => {
      dataDir = createTempDir();
      server = await startApp({
        ...env(),
        ...NO_RATE_LIMITS,
        DATA_DIR: dataDir.path,
        UPLOAD_MAX_BYTES: String(MAX_BYTES),
        UPLOADS_PER_HOUR_PER_USER: '0',
        UPLOAD_BYTES_PER_HOUR_PER_USER: '0',
        UPLOAD_MAX_PIXELS: '1000000',
      });
    });
    afterEach(async () => {
      await closeAll(clients.splice(0));
    });
    afterAll(async () => {
      await server?.close();
      dataDir?.remove();
    });

    const upload = (token: string, content: Buffer, name: string) =>
      request(server.baseUrl).post('/api/uploads').set(bearer(token)).attach('file', content, name);
    const uploaded = async (token: string, content: Buffer, name: string): Promise<UploadResponse> => {
      const response = await upload(token, content, name);
      expect(response.status).toBe(201);
      return UploadResponseSchema.parse(response.body);
    };
    const download = (token: string, path: string) =>
      request(server.baseUrl)
        .get(path)
        .set(bearer(token))
        .buffer(true)
        .parse((res, done) => {
          const parts: Buffer[] = [];
          res.on('data', (part: Buffer) => parts.push(part));
          res.on('end', () => done(null, Buffer.concat(parts)));
        });
    const member = async (room: string, token: string) => {
      const client = await TestClient.joined(server.wsUrl, room, { token });
      clients.push(client);
      return client;
    };
    const send = async (
      client: TestClient,
      room: string,
      attachments: string[],
      text = '',
      clientId: string = randomUUID(),
    ) => {
      client.send('send', { room, text, clientId, attachments });
      const message = await client.next('message', (data) => data.clientId === clientId);
      await client.next('ack', (data) => data.clientId === clientId);
      return message;
    };
    /** Only what a finished upload leaves: its file and maybe its thumbnail (no partial file). */
    const storedFiles = () => filesOnDisk(dataDir.path).filter((name) => !name.startsWith('.partial/'));
    const partialFiles = () => filesOnDisk(dataDir.path).filter((name) => name.startsWith('.partial/'));

    describe('POST /api/uploads', () => {
      it('should store an image with its dimensions and a thumbnail, and put it on a message for every read path', async () => {
        const alice = await register(server.baseUrl);
        const room = uniqueRoom();
        const client = await member(room, alice.token);
        const png = await pngOf(640, 480);
        const file = await uploaded(alice.token, png, 'screenshot.png');
        expect(file).toMatchObject({
          name: 'screenshot.png',
          size: png.length,
          type: 'image/png',
          width: 640,
          height: 480,
        });
        expect(storedFiles()).toEqual(expect.arrayContaining([file.id, `${file.id}.thumb`]));

        const message = await send(client, room, [file.id], 'look');
        const expected = {
          id: file.id,
          name: 'screenshot.png',
          size: png.length,
          type: 'image/png',
          width: 640,
          height: 480,
          url: `/api/files/${file.id}`,
          thumbnailUrl: `/api/files/${file.id}/thumbnail`,
        };
        expect(message.attachments).toEqual([expected]);

        // History over HTTP, a fresh join, and a resume from before the message.
        const page = await membershipApi(server.baseUrl, alice.token).messages(room);
        expect(page.body.messages.find((m: ChatMessage) => m.id === message.id)?.attachments).toEqual([
          expected,
        ]);
        const { joined } = await TestClient.joinedWith(server.wsUrl, room, { token: alice.token }).then(
          (joinedWith) => {
            clients.push(joinedWith.client);
            return joinedWith;
          },
        );
        expect(joined.messages.find((m) => m.id === message.id)?.attachments).toEqual([expected]);
        const resumed = await TestClient.connect(server.wsUrl, { token: alice.token });
        clients.push(resumed);
        await resumed.next('welcome');
        resumed.send('join', { room, since: message.seq - 1 });
        const resumedJoin = await resumed.next('joined', (data) => data.room === room);
        expect(resumedJoin.messages.find((m) => m.id === message.id)?.attachments).toEqual([expected]);

        const bytes = await download(alice.token, expected.url);
        expect(bytes.status).toBe(200);
        expect(bytes.body).toEqual(png);
        expect(bytes.headers).toMatchObject({
          'content-type': 'image/png',
          'x-content-type-options': 'nosniff',
          'content-security-policy': "default-src 'none'; sandbox",
        });
        expect(bytes.headers['content-disposition']).toMatch(/^inline; filename="?screenshot\.png"?$/);
        const thumbnail = await download(alice.token, expected.thumbnailUrl);
        expect(thumbnail.status).toBe(200);
        expect(thumbnail.headers['content-type']).toBe('image/webp');
        const meta = await (await import('sharp')).default(thumbnail.body as Buffer).metadata();
        expect(Math.max(meta.width ?? 0, meta.height ?? 0)).toBe(320);
      });

      it('should report an image as shown after its EXIF orientation, with an upright thumbnail', async () => {
        const alice = await register(server.baseUrl);
        // Stored 200 x 100 with "rotate 90° clockwise to show" (orientation 6): shown 100 x 200.
        const jpeg = await sharp({ create: { width: 200, height: 100, channels: 3, background: '#884422' } })
          .jpeg()
          .withMetadata({ orientation: 6 })
          .toBuffer();
        const file = await uploaded(alice.token, jpeg, 'phone.jpg');
        expect(file).toMatchObject({ type: 'image/jpeg', width: 100, height: 200 });
        const room = uniqueRoom();
        const client = await member(room, alice.token);
        await send(client, room, [file.id]);
        const thumbnail = await download(alice.token, `/api/files/${file.id}/thumbnail`);
        const meta = await sharp(thumbnail.body as Buffer).metadata();
        expect({ width: meta.width, height: meta.height }).toEqual({ width: 100, height: 200 });
      });

      it('should send a message of files alone (empty text), but not an empty message without files', async () => {
        const alice = await register(server.baseUrl);
        const room = uniqueRoom();
        const client = await member(room, alice.token);
        const file = await uploaded(alice.token, Buffer.from('2026-12-01 error: disk full\n'), 'server.log');
        expect(file.type).toBe('text/plain');
        const message = await send(client, room, [file.id]);
        expect(message.text).toBe('');
        expect(message.attachments?.map((a) => a.id)).toEqual([file.id]);
        expect(message.attachments?.[0]?.thumbnailUrl).toBeUndefined();
        client.send('send', { room, text: '', clientId: 'empty-1' });
        expect(await client.next('error', (data) => data.clientId === 'empty-1')).toMatchObject({
          code: 'bad_request',
        });
      });

      it("should carry a thread reply's files: on its message, in the thread's pages, and on no other message", async () => {
        const alice = await register(server.baseUrl);
        const bob = await register(server.baseUrl);
        const room = uniqueRoom();
        const client = await member(room, alice.token);
        const reader = await member(room, bob.token);
        client.send('send', { room, text: 'the floor plan?', clientId: 'root-1' });
        const root = await client.next('message', (data) => data.clientId === 'root-1');
        const file = await uploaded(alice.token, await pngOf(400, 300), 'plan.png');
        const clientId = randomUUID();
        client.send('send', { room, text: 'here', clientId, threadId: root.id, attachments: [file.id] });
        const reply = await reader.next('message', (data) => data.clientId === clientId);
        expect(reply).toMatchObject({ threadId: root.id, text: 'here' });
        expect(reply.attachments).toEqual([
          expect.objectContaining({ id: file.id, name: 'plan.png', width: 400, height: 300 }),
        ]);

        // Stored: the thread's page (over the socket and HTTP) has it; the root has no files.
        reader.send('history', { room, threadId: root.id });
        const page = await reader.next('history', (data) => data.room === room && data.threadId === root.id);
        expect(page.messages.map((m) => [m.id, m.attachments?.map((a) => a.id)])).toEqual([
          [reply.id, [file.id]],
        ]);
        const http = await request(server.baseUrl)
          .get(`/api/rooms/${room}/messages?threadId=${root.id}`)
          .set(bearer(bob.token));
        expect(http.status).toBe(200);
        expect(http.body.messages.map((m: ChatMessage) => m.attachments?.[0]?.id)).toEqual([file.id]);
        const thumbnail = await download(bob.token, `/api/files/${file.id}/thumbnail`);
        expect(thumbnail.status).toBe(200);
        const main = await membershipApi(server.baseUrl, bob.token).messages(room);
        expect(main.body.messages.find((m: ChatMessage) => m.id === root.id)?.attachments).toBeUndefined();
      });

      it('should refuse an empty file with 400 and keep nothing', async () => {
        const alice = await register(server.baseUrl);
        const before = storedFiles().length;
        const response = await upload(alice.token, Buffer.alloc(0), 'empty.txt');
        expect(response.status).toBe(400);
        expect(response.body.message).toMatch(/empty/);
        expect(storedFiles()).toHaveLength(before);
        expect(partialFiles()).toEqual([]);
      });

      it('should refuse with 413 from Content-Length alone, before reading the body', async () => {
        const alice = await register(server.baseUrl);
        // Says 100 MiB, sends 64 KiB and waits: only the header can have decided.
        const streaming = streamUpload(server.port, alice.token, {
          total: 64 * 1024,
          declaredLength: 100 * 1024 * 1024,
        });
        const answer = await streaming.response;
        expect(answer.status).toBe(413);
        expect(JSON.parse(answer.body)).toMatchObject({ code: 'too_large' });
      });

      it('should answer 413 while the client is still sending a file over the limit, and keep nothing', async () => {
        const alice = await register(server.baseUrl);
        const before = storedFiles().length;
        const total = MAX_BYTES * 40;
        const streaming = streamUpload(server.port, alice.token, { total });
        const answer = await streaming.response;
        expect(answer.status).toBe(413);
        expect(streaming.written()).toBeLessThan(total);
        streaming.request.destroy();
        await eventually(() => partialFiles().length === 0);
        expect(storedFiles()).toHaveLength(before);
      });

      it('should leave nothing on disk when the client hangs up mid-upload', async () => {
        const alice = await register(server.baseUrl);
        const before = storedFiles().length;
        const streaming = streamUpload(server.port, alice.token, {
          total: MAX_BYTES,
          stopAfter: MAX_BYTES / 2,
        });
        await new Promise((resolve) => streaming.request.once('close', resolve));
        await eventually(() => partialFiles().length === 0);
        expect(storedFiles()).toHaveLength(before);
      });

      it('should type a file by its content: a .png that is text is text/plain, binary junk is refused', async () => {
        const alice = await register(server.baseUrl);
        const text = await uploaded(alice.token, Buffer.from('<script>alert(1)</script>'), 'photo.png');
        expect(text).toMatchObject({ type: 'text/plain', name: 'photo.png' });
        const served = await download(alice.token, `/api/files/${text.id}`);
        expect(served.headers['content-type']).toBe('text/plain; charset=utf-8');
        expect(served.headers['content-disposition']).toMatch(/^attachment;/);
        const junk = await upload(
          alice.token,
          Buffer.from([0x00, 0x01, 0xfe, 0xff, 0x10, 0x80]),
          'photo.png',
        );
        expect(junk.status).toBe(400);
        expect(junk.body.message).toMatch(/not accepted/);
        // The first bytes of a PNG on a file that is none: the image cannot be read.
        const fake = Buffer.concat([
          Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
          randomBytes(64),
        ]);
        expect((await upload(alice.token, fake, 'fake.png')).status).toBe(400);
        expect(partialFiles()).toEqual([]);
      });

      it('should store a zip bomb as the small file it is, never opening it', async () => {
        const alice = await register(server.baseUrl);
        const zip = zipOfZeros('zeros.bin', 64 * 1024 * 1024);
        expect(zip.length).toBeLessThan(MAX_BYTES);
        const file = await uploaded(alice.token, zip, 'bomb.zip');
        expect(file).toMatchObject({ type: 'application/zip', size: zip.length });
        const served = await download(alice.token, `/api/files/${file.id}`);
        expect(served.body).toEqual(zip);
        expect(served.headers['content-disposition']).toMatch(/^attachment; filename="?bomb\.zip"?$/);
      });

      it('should refuse a decompression-bomb image from its header, with no thumbnail attempt', async () => {
        const alice = await register(server.baseUrl);
        const before = storedFiles().length;
        const bomb = bombPng(100_000, 100_000);
        expect(bomb.length).toBeLessThan(1024 * 200);
        const response = await upload(alice.token, bomb, 'bomb.png');
        expect(response.status).toBe(400);
        expect(response.body.message).toMatch(/100000 x 100000 pixels/);
        expect(storedFiles()).toHaveLength(before);
      });

      it('should strip paths, control and bidirectional characters from file names', async () => {
        const alice = await register(server.baseUrl);
        const names = [
          ['../../etc/passwd', 'passwd'],
          ['..\\..\\windows\\evil.txt', 'evil.txt'],
          ['invoice\u202Egpj.exe', 'invoicegpj.exe'],
          ['.hidden', 'hidden'],
          [`${'a'.repeat(300)}.txt`, `${'a'.repeat(196)}.txt`],
        ];
        for (const [sent, kept] of names) {
          const file = await uploaded(alice.token, Buffer.from('hello'), sent!);
          expect(file.name).toBe(kept);
        }
        // Whatever the names, the disk holds only the server's own keys.
        expect(storedFiles().every((name) => /^[0-9a-f-]{36}(\.thumb)?$/.test(name))).toBe(true);
      });

      it('should be for registered users only: a guest gets 403', async () => {
        const visitor = await guest(server.baseUrl, 'visitor');
        expect((await upload(visitor.token, Buffer.from('hi'), 'a.txt')).status).toBe(403);
      });
    });

    describe('send {attachments}', () => {
      it('should take only your own uploads that no other message has, and replay a send with the same clientId', async () => {
        const alice = await register(server.baseUrl);
        const bob = await register(server.baseUrl);
        const room = uniqueRoom();
        const aliceClient = await member(room, alice.token);
        const bobClient = await member(room, bob.token);
        const file = await uploaded(alice.token, Buffer.from('notes'), 'notes.txt');

        bobClient.send('send', { room, text: 'mine now', clientId: 'steal-1', attachments: [file.id] });
        expect(await bobClient.next('error', (data) => data.clientId === 'steal-1')).toMatchObject({
          code: 'bad_request',
        });
        const first = await send(aliceClient, room, [file.id], 'here', 'files-1');
        aliceClient.send('send', { room, text: 'here', clientId: 'files-1', attachments: [file.id] });
        const replay = await aliceClient.next('ack', (data) => data.clientId === 'files-1');
        expect(replay).toMatchObject({ id: first.id, seq: first.seq });
        aliceClient.send('send', { room, text: 'again', clientId: 'files-2', attachments: [file.id] });
        expect(await aliceClient.next('error', (data) => data.clientId === 'files-2')).toMatchObject({
          code: 'bad_request',
        });
        const tooMany = Array.from({ length: 11 }, () => randomUUID());
        aliceClient.send('send', { room, text: 'x', clientId: 'files-3', attachments: tooMany });
        expect(await aliceClient.next('error', (data) => data.clientId === 'files-3')).toMatchObject({
          code: 'bad_request',
        });
      });

      it('should delete the files (storage and row) with their message', async () => {
        const alice = await register(server.baseUrl);
        const room = uniqueRoom();
        const client = await member(room, alice.token);
        const file = await uploaded(alice.token, await pngOf(50, 50), 'gone.png');
        const message = await send(client, room, [file.id]);
        client.send('delete', { room, id: message.id, clientId: 'del-1' });
        await client.next('ack', (data) => data.clientId === 'del-1');
        expect((await download(alice.token, `/api/files/${file.id}`)).status).toBe(404);
        await eventually(() => !storedFiles().some((name) => name.startsWith(file.id)));
        const page = await membershipApi(server.baseUrl, alice.token).messages(room);
        const tombstone = page.body.messages.find((m: ChatMessage) => m.id === message.id);
        expect(tombstone).toMatchObject({ deleted: true });
        expect(tombstone.attachments).toBeUndefined();
      });

      it('should sweep uploads that no message took, once they are old enough, and keep the others', async () => {
        const alice = await register(server.baseUrl);
        const room = uniqueRoom();
        const client = await member(room, alice.token);
        const kept = await uploaded(alice.token, Buffer.from('kept'), 'kept.txt');
        await send(client, room, [kept.id]);
        const orphan = await uploaded(alice.token, Buffer.from('orphan'), 'orphan.txt');
        const cleanup = server.app.get(AttachmentCleanup);
        await cleanup.sweep();
        expect(storedFiles()).toContain(orphan.id);
        await cleanup.sweep(Date.now() + 25 * 3600 * 1000);
        expect(storedFiles()).not.toContain(orphan.id);
        expect(storedFiles()).toContain(kept.id);
        expect((await download(alice.token, `/api/files/${orphan.id}`)).status).toBe(404);
        expect((await download(alice.token, `/api/files/${kept.id}`)).status).toBe(200);
      });
    });

    describe('GET /api/files/:id', () => {
      it("should answer 404 to a non-member for a private room's file and thumbnail, also by direct URL", async () => {
        const alice = await register(server.baseUrl);
        const carol = await register(server.baseUrl);
        const mallory = await register(server.baseUrl);
        const room = uniqueRoom();
        const api = membershipApi(server.baseUrl, alice.token);
        expect((await api.createRoom(room, 'private')).status).toBe(201);
        expect((await api.add(room, carol.user.name)).status).toBeLessThan(300);
        const client = await member(room, alice.token);
        const file = await uploaded(alice.token, await pngOf(100, 80), 'secret.png');
        // Before it is on a message, it is its owner's alone.
        expect((await download(carol.token, `/api/files/${file.id}`)).status).toBe(404);
        await send(client, room, [file.id]);
        for (const path of [`/api/files/${file.id}`, `/api/files/${file.id}/thumbnail`]) {
          expect((await download(carol.token, path)).status).toBe(200);
          const refused = await download(mallory.token, path);
          expect(refused.status).toBe(404);
          expect(JSON.parse(refused.body.toString())).toMatchObject({ code: 'not_found' });
        }
        const visitor = await guest(server.baseUrl, 'peeker');
        expect((await download(visitor.token, `/api/files/${file.id}`)).status).toBe(404);
        expect((await request(server.baseUrl).get(`/api/files/${file.id}`)).status).toBe(401);
        expect((await download(mallory.token, '/api/files/not-a-uuid')).status).toBe(404);
      });

      it('should serve one byte range of a file (a resumed download), and 416 past its end', async () => {
        const alice = await register(server.baseUrl);
        const room = uniqueRoom();
        const client = await member(room, alice.token);
        const file = await uploaded(alice.token, Buffer.from('0123456789'), 'digits.txt');
        await send(client, room, [file.id]);
        const part = await download(alice.token, `/api/files/${file.id}`).set('Range', 'bytes=3-5');
        expect(part.status).toBe(206);
        expect(part.body.toString()).toBe('345');
        expect(part.headers).toMatchObject({ 'content-range': 'bytes 3-5/10', 'accept-ranges': 'bytes' });
        const tail = await download(alice.token, `/api/files/${file.id}`).set('Range', 'bytes=-2');
        expect(tail.body.toString()).toBe('89');
        const past = await download(alice.token, `/api/files/${file.id}`).set('Range', 'bytes=10-');
        expect(past.status).toBe(416);
        expect(past.headers['content-range']).toBe('bytes */10');
      });

      it('should check access again on a revalidation (304 only for who may read)', async () => {
        const alice = await register(server.baseUrl);
        const mallory = await register(server.baseUrl);
        const room = uniqueRoom();
        expect((await membershipApi(server.baseUrl, alice.token).createRoom(room, 'private')).status).toBe(
          201,
        );
        const client = await member(room, alice.token);
        const file = await uploaded(alice.token, Buffer.from('etag'), 'e.txt');
        await send(client, room, [file.id]);
        const first = await download(alice.token, `/api/files/${file.id}`);
        const etag = first.headers.etag!;
        const again = await download(alice.token, `/api/files/${file.id}`).set('If-None-Match', etag);
        expect(again.status).toBe(304);
        const forged = await download(mallory.token, `/api/files/${file.id}`).set('If-None-Match', etag);
        expect(forged.status).toBe(404);
      });
    });
  });
}

describeOnEachStore('file attachments', postgres, describeUploads);
