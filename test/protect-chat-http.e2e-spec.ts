import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Body, Controller, HttpCode, Module, Post, type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import request from 'supertest';
import { attachChatTransport, ChatModule, protectChatHttp } from '@chat/api';
import { register, uniqueUsername } from './utils/accounts.js';
import { createTempDir } from './utils/temp-dir.js';

const JWT_SECRET = 'protect-chat-http-suite-secret-0123456789abcdef';
/** Larger than the 100 kB Nest's urlencoded parser reads: a 413 says the parser read the body. */
const BIG_FORM = { name: 'forged', padding: 'x'.repeat(150_000) };

/** What docs/embedding.md says of a host that calls protectChatHttp, and of one that does not. */
describe.each([
  ['calls protectChatHttp', true],
  ['never calls protectChatHttp', false],
])('a host that %s', (_name, protect) => {
  const dataDir = createTempDir();
  const forms: unknown[] = [];
  let app: INestApplication;
  let baseUrl: string;
  let cookie: string;

  beforeAll(async () => {
    /** A route of the host's own that takes form posts from anywhere (a payment provider's callback). */
    @Controller('host')
    class HostFormController {
      @Post('callback')
      @HttpCode(200)
      callback(@Body() body: unknown): { ok: true } {
        forms.push(body);
        return { ok: true };
      }
    }

    @Module({
      imports: [ChatModule.forRoot({ config: { DATA_DIR: dataDir.path, JWT_SECRET, LOG_LEVEL: 'error' } })],
      controllers: [HostFormController],
    })
    class HostModule {}

    app = await NestFactory.create(HostModule, { logger: false });
    if (protect) protectChatHttp(app);
    attachChatTransport(app);
    await app.listen(0, '127.0.0.1');
    baseUrl = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
    cookie = `chat_token=${(await register(baseUrl, uniqueUsername('victim'))).token}`;
  });

  afterAll(async () => {
    await app?.close();
    dataDir.remove();
  });

  it(`should refuse a forged form to a chat route ${protect ? 'unread (415)' : 'only once read (the parser’s 413)'}`, async () => {
    const forged = await request(baseUrl)
      .post('/api/rooms')
      .set('Cookie', cookie)
      .set('Origin', 'https://evil.example')
      .type('form')
      .send(BIG_FORM);
    expect(forged.status).toBe(protect ? 415 : 413);
  });

  it(`should ${protect ? 'refuse' : 'let through'} a cross-site form post to the host's own route`, async () => {
    const callback = await request(baseUrl)
      .post('/host/callback')
      .set('Origin', 'https://payments.example')
      .type('form')
      .send({ paid: 'yes' });
    expect(callback.status).toBe(protect ? 415 : 200);
    expect(forms.length).toBe(protect ? 0 : 1);
  });
});
