import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { UploadResponseSchema } from '@chat/contracts';
import { bearer, register } from './utils/accounts.js';
import { membershipApi } from './utils/membership.js';
import { NO_RATE_LIMITS, startApp, type TestApp } from './utils/start-app.js';
import { createTempDir } from './utils/temp-dir.js';
import { closeAll, TestClient } from './utils/test-client.js';

describe('red team: uploads and downloads', () => {
  let server: TestApp;
  let dataDir: ReturnType<typeof createTempDir>;

  beforeAll(async () => {
    dataDir = createTempDir();
    server = await startApp({
      ...NO_RATE_LIMITS,
      DATA_DIR: dataDir.path,
      UPLOADS_PER_HOUR_PER_USER: '0',
      UPLOAD_BYTES_PER_HOUR_PER_USER: '0',
    });
  });
  afterAll(async () => {
    await server?.close();
    dataDir?.remove();
  });

  const upload = (token: string, content: Buffer, name: string, type?: string) =>
    request(server.baseUrl)
      .post('/api/uploads')
      .set(bearer(token))
      .attach('file', content, type ? { filename: name, contentType: type } : name);

  it('should never serve HTML or SVG as a page, whatever its name and declared type', async () => {
    const alice = await register(server.baseUrl);
    for (const [name, type, body] of [
      ['x.html', 'text/html', '<html><script>alert(1)</script></html>'],
      ['x.svg', 'image/svg+xml', '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'],
    ] as const) {
      const response = await upload(alice.token, Buffer.from(body), name, type);
      if (response.status !== 201) continue; // refused: nothing to serve
      const file = UploadResponseSchema.parse(response.body);
      const download = await request(server.baseUrl).get(`/api/files/${file.id}`).set(bearer(alice.token));
      expect(download.status).toBe(200);
      expect(download.headers['content-type']).not.toMatch(/html|svg/);
      expect(download.headers['content-disposition']).toMatch(/^attachment/);
      expect(download.headers['x-content-type-options']).toBe('nosniff');
    }
  });

  it("should not let another user's upload, or one already on a message, ride on a send", async () => {
    const alice = await register(server.baseUrl);
    const bob = await register(server.baseUrl);
    const room = `rt-${randomUUID().slice(0, 8)}`;
    expect((await membershipApi(server.baseUrl, alice.token).createRoom(room, 'private')).status).toBe(201);
    const file = UploadResponseSchema.parse(
      (await upload(alice.token, Buffer.from('secret plan'), 'p.txt')).body,
    );
    const aliceClient = await TestClient.joined(server.wsUrl, room, { token: alice.token });
    const bobClient = await TestClient.joined(server.wsUrl, 'general', { token: bob.token });
    try {
      aliceClient.send('send', { room, text: 'plan', clientId: 'a-1', attachments: [file.id] });
      await aliceClient.next('ack', (data) => data.clientId === 'a-1');
      // Bob, not in the room, cannot read it, nor carry it into general.
      expect((await request(server.baseUrl).get(`/api/files/${file.id}`).set(bearer(bob.token))).status).toBe(
        404,
      );
      bobClient.send('send', { room: 'general', text: 'leak', clientId: 'b-1', attachments: [file.id] });
      expect(await bobClient.next('error', (data) => data.clientId === 'b-1')).toMatchObject({
        code: 'bad_request',
      });
      // Alice cannot put it on a second message in general either (it would be readable there).
      await aliceClient.send('join', { room: 'general' });
      await aliceClient.next('joined', (data) => data.room === 'general');
      aliceClient.send('send', { room: 'general', text: 'again', clientId: 'a-2', attachments: [file.id] });
      expect(await aliceClient.next('error', (data) => data.clientId === 'a-2')).toMatchObject({
        code: 'bad_request',
      });
      // Nor through the socket's replay of a1's clientId into general.
      aliceClient.send('send', { room: 'general', text: 'plan', clientId: 'a-1', attachments: [file.id] });
      await aliceClient.next('error', (data) => data.clientId === 'a-1');
      expect((await request(server.baseUrl).get(`/api/files/${file.id}`).set(bearer(bob.token))).status).toBe(
        404,
      );
    } finally {
      await closeAll([aliceClient, bobClient]);
    }
  });

  it('should not put a file on the message a reused clientId already names in another room', async () => {
    const alice = await register(server.baseUrl);
    const bob = await register(server.baseUrl);
    const room = `rt-${randomUUID().slice(0, 8)}`;
    expect((await membershipApi(server.baseUrl, alice.token).createRoom(room, 'private')).status).toBe(201);
    const clientId = `reused-${randomUUID()}`;
    const aliceClient = await TestClient.joined(server.wsUrl, 'general', { token: alice.token });
    try {
      aliceClient.send('send', { room: 'general', text: 'hello all', clientId });
      await aliceClient.next('ack', (data) => data.clientId === clientId);
      const secret = await upload(alice.token, Buffer.from('private numbers'), 'numbers.txt');
      const file = UploadResponseSchema.parse(secret.body);
      aliceClient.send('join', { room });
      await aliceClient.next('joined', (data) => data.room === room);
      // A client that reuses a clientId: the send is refused, and the file must stay private.
      aliceClient.send('send', { room, text: 'for us only', clientId, attachments: [file.id] });
      expect(await aliceClient.next('error', (data) => data.clientId === clientId)).toMatchObject({
        code: 'bad_request',
      });
      const page = await membershipApi(server.baseUrl, bob.token).messages('general');
      const mine = (
        page.body as { messages: { clientId?: string; attachments?: unknown[] }[] }
      ).messages.find((message) => message.clientId === clientId);
      expect(mine?.attachments ?? []).toEqual([]);
      expect((await request(server.baseUrl).get(`/api/files/${file.id}`).set(bearer(bob.token))).status).toBe(
        404,
      );
      // And the file is still Alice's to send, under a new clientId.
      aliceClient.send('send', {
        room,
        text: 'for us only',
        clientId: `${clientId}-2`,
        attachments: [file.id],
      });
      await aliceClient.next('ack', (data) => data.clientId === `${clientId}-2`);
    } finally {
      await closeAll([aliceClient]);
    }
  });

  it('should answer 404, not 500, for ids that are paths or junk', async () => {
    const alice = await register(server.baseUrl);
    for (const id of ['..%2F..%2Fetc%2Fpasswd', '%00', 'a'.repeat(500), '..']) {
      const response = await request(server.baseUrl).get(`/api/files/${id}`).set(bearer(alice.token));
      expect([400, 404]).toContain(response.status);
    }
  });
});
