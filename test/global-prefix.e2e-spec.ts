import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Module, type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import request from 'supertest';
import { attachChatTransport, ChatModule, protectChatHttp } from '@chat/api';
import { register, uniqueUsername } from './utils/accounts.js';
import { createTempDir } from './utils/temp-dir.js';
import { pngOf } from './utils/uploads.js';

const JWT_SECRET = 'global-prefix-suite-secret-0123456789abcdef0123';
const PREFIX = 'chat';

/**
 * A host that serves the chat under `app.setGlobalPrefix`: the CSRF check's one exception to
 * JSON bodies, the multipart upload, must still be found at `/chat/api/uploads`, whichever of
 * the two checks (protectChatHttp's before the body parsers, ChatModule's own after them) sees it.
 */
describe.each([
  ['with protectChatHttp', true],
  ['with only ChatModule’s own check', false],
])('ChatModule under a global prefix, %s', (_name, protect) => {
  const dataDir = createTempDir();
  let app: INestApplication;
  let origin: string;
  let baseUrl: string;
  let cookie: string;

  beforeAll(async () => {
    @Module({
      imports: [ChatModule.forRoot({ config: { DATA_DIR: dataDir.path, JWT_SECRET, LOG_LEVEL: 'error' } })],
    })
    class PrefixedHostModule {}

    app = await NestFactory.create(PrefixedHostModule, { logger: false });
    app.setGlobalPrefix(PREFIX);
    if (protect) protectChatHttp(app);
    attachChatTransport(app);
    await app.listen(0, '127.0.0.1');
    origin = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
    baseUrl = `${origin}/${PREFIX}`;
    cookie = `chat_token=${(await register(baseUrl, uniqueUsername('prefixed'))).token}`;
  });

  afterAll(async () => {
    await app?.close();
    dataDir.remove();
  });

  it('should accept a multipart upload from its own origin with the session cookie', async () => {
    const upload = await request(baseUrl)
      .post('/api/uploads')
      .set('Cookie', cookie)
      .set('Origin', origin)
      .attach('file', await pngOf(4, 4), 'honest.png');
    expect(upload.status).toBe(201);
    expect(upload.body).toMatchObject({ id: expect.any(String) });
  });

  it('should still refuse a forged upload from a foreign origin, and a form post elsewhere', async () => {
    await request(baseUrl)
      .post('/api/uploads')
      .set('Cookie', cookie)
      .set('Origin', 'https://evil.example')
      .attach('file', await pngOf(4, 4), 'forged.png')
      .expect(403);
    await request(baseUrl)
      .post('/api/rooms')
      .set('Cookie', cookie)
      .set('Origin', origin)
      .attach('file', await pngOf(4, 4), 'not-an-upload.png')
      .expect(415);
  });
});
