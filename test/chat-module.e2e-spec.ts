import { readdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Body, Controller, HttpCode, Module, Post, type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { WsAdapter } from '@nestjs/platform-ws';
import request from 'supertest';
import {
  attachChatTransport,
  ApiKeysService,
  ChatModule,
  UnauthorizedError,
  WebhooksService,
  type BusEvent,
  type ExternalIdentity,
  type ExternalTokenVerifier,
} from '@chat/api';
import { LocalBus } from '../apps/api/src/bus/local/local-bus.js';
import { openSqliteDatabase, SQLITE_FILE_NAME } from '../apps/api/src/storage/sqlite/sqlite-database.js';
import { sqliteEngine } from '../apps/api/src/storage/sqlite/sqlite-engine.js';
import { bearer, register, uniqueUsername } from './utils/accounts.js';
import { pngOf } from './utils/uploads.js';
import { createTempDir } from './utils/temp-dir.js';
import { TestClient } from './utils/test-client.js';

const JWT_SECRET = 'chat-module-suite-secret-0123456789abcdef0123';

/** A bus of the host's that remembers what the chat published on it. */
class RecordingBus extends LocalBus {
  readonly published: BusEvent[] = [];
  override publish(event: BusEvent): void {
    this.published.push(event);
    super.publish(event);
  }
}

/** A host's own verifier (opaque session ids, not JWTs): "session:<name>" is that user. */
const sessions: ExternalTokenVerifier = {
  verify(token: string): Promise<ExternalIdentity> {
    const match = /^session:([a-z]+)$/.exec(token);
    if (!match) return Promise.reject(new UnauthorizedError('unknown session: sign in to the host app'));
    return Promise.resolve({
      subject: match[1]!,
      name: match[1]!,
      roles: [],
      guest: false,
      bot: false,
      issuedAt: 0,
    });
  },
};

const SETTINGS = Symbol('HostSettings');

describe('ChatModule.forRootAsync with storage, bus and identity of the host', () => {
  const dataDir = createTempDir();
  const storageDir = createTempDir();
  const bus = new RecordingBus();
  let app: INestApplication;
  let baseUrl: string;

  beforeAll(async () => {
    @Module({ providers: [{ provide: SETTINGS, useValue: { dataDir: dataDir.path } }], exports: [SETTINGS] })
    class HostSettingsModule {}

    @Module({
      imports: [
        ChatModule.forRootAsync({
          imports: [HostSettingsModule],
          inject: [SETTINGS],
          useFactory: (settings: { dataDir: string }) => ({
            config: {
              DATA_DIR: settings.dataDir,
              JWT_SECRET,
              LOG_LEVEL: 'error' as const,
              WEBHOOK_ALLOW_PRIVATE: true,
            },
            storage: sqliteEngine(openSqliteDatabase(storageDir.path), 1000),
            bus,
            identity: sessions,
          }),
        }),
      ],
    })
    class HostModule {}

    app = await NestFactory.create(HostModule, { logger: false });
    attachChatTransport(app);
    await app.listen(0, '127.0.0.1');
    baseUrl = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await app?.close();
    dataDir.remove();
    storageDir.remove();
  });

  it("should open no database of its own: DATA_DIR stays empty, the host's engine holds the messages", async () => {
    const client = await TestClient.joined(`${baseUrl.replace('http', 'ws')}/ws`, 'general', {
      token: 'session:olga',
    });
    try {
      client.send('send', { room: 'general', text: 'stored where the host said', clientId: 'module-1' });
      await client.next('ack');
    } finally {
      await client.close();
    }
    expect(readdirSync(dataDir.path)).toEqual([]);
    expect(readdirSync(storageDir.path)).toContain(SQLITE_FILE_NAME);
  });

  it("should fan out through the host's bus", () => {
    const stored = bus.published.filter((event) => event.type === 'message');
    expect(stored.map((event) => event.type === 'message' && event.message.text)).toContain(
      'stored where the host said',
    );
  });

  it("should sign users in with the host's verifier, and refuse what it refuses", async () => {
    const me = await request(baseUrl).get('/api/me').set(bearer('session:olga'));
    expect(me.status).toBe(200);
    expect(me.body).toEqual({ id: 'host:olga', name: 'olga', guest: false });
    const refused = await request(baseUrl).get('/api/me').set(bearer('session:OLGA!'));
    expect(refused.status).toBe(401);
    expect(refused.body.message).toMatch(/unknown session/);
  });

  it("should let the host's code create an API key and post with it", async () => {
    const { key } = await app.get(ApiKeysService).create({ name: 'host-ci', scopes: ['messages:write'] });
    const posted = await request(baseUrl)
      .post('/api/rooms/general/messages')
      .set(bearer(key))
      .set('Idempotency-Key', 'host-ci-1')
      .send({ text: 'from the host service' });
    expect(posted.status).toBe(201);
    expect(posted.body.message).toMatchObject({
      text: 'from the host service',
      user: { name: 'host-ci-bot', bot: true },
    });
  });

  it("should let the host's code add a webhook endpoint", async () => {
    const created = await app
      .get(WebhooksService)
      .add({ url: 'http://127.0.0.1:9/chat-events', events: ['message.created'] });
    expect(created.secret).toMatch(/^whsec_/);
    expect((await app.get(WebhooksService).list()).map((endpoint) => endpoint.url)).toContain(
      'http://127.0.0.1:9/chat-events',
    );
  });

  it('should not serve the SPA: that is a choice of the chat app, not of the module', async () => {
    const response = await request(baseUrl).get('/');
    expect(response.status).toBe(404);
  });
});

describe('ChatModule served by another WebSocket adapter', () => {
  it("should refuse to start rather than run the chat's gateway without its authentication and limits", async () => {
    const dataDir = createTempDir();
    @Module({
      imports: [ChatModule.forRoot({ config: { DATA_DIR: dataDir.path, JWT_SECRET, LOG_LEVEL: 'error' } })],
    })
    class CarelessHostModule {}
    const app = await NestFactory.create(CarelessHostModule, { logger: false });
    try {
      attachChatTransport(app);
      app.useWebSocketAdapter(new WsAdapter(app));
      await expect(app.listen(0, '127.0.0.1')).rejects.toThrow(
        /not served by the chat's adapter.*attachChatTransport/,
      );
    } finally {
      await app.close().catch(() => undefined);
      dataDir.remove();
    }
  });
});

describe('ChatModule given an incomplete storage engine', () => {
  it('should refuse to start, naming the stores it lacks, rather than fail on their first use', async () => {
    const dataDir = createTempDir();
    const storageDir = createTempDir();
    const engine = sqliteEngine(openSqliteDatabase(storageDir.path), 1000);
    // An engine written for an older StorageEngine: no search, no uploads.
    const { search: _search, uploads: _uploads, ...older } = engine;
    @Module({
      imports: [
        ChatModule.forRoot({
          config: { DATA_DIR: dataDir.path, JWT_SECRET, LOG_LEVEL: 'error' },
          storage: older as unknown as typeof engine,
        }),
      ],
    })
    class OutdatedHostModule {}
    try {
      await expect(
        NestFactory.create(OutdatedHostModule, { logger: false, abortOnError: false }),
      ).rejects.toThrow(/lacks search, uploads\. Fix:/);
    } finally {
      await engine.close();
      dataDir.remove();
      storageDir.remove();
    }
  });
});

describe('ChatModule in a host that never calls protectChatHttp', () => {
  const dataDir = createTempDir();
  let app: INestApplication;
  let baseUrl: string;
  let own: string;
  let victimCookie: string;
  let victimToken: string;
  const forms: unknown[] = [];

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
    class HostWithoutDefaultsModule {}

    app = await NestFactory.create(HostWithoutDefaultsModule, { logger: false });
    attachChatTransport(app);
    await app.listen(0, '127.0.0.1');
    baseUrl = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
    own = baseUrl;
    victimToken = (await register(baseUrl, uniqueUsername('victim'))).token;
    victimCookie = `chat_token=${victimToken}`;
  });

  afterAll(async () => {
    await app?.close();
    dataDir.remove();
  });

  const roomNames = async (): Promise<string[]> => {
    const response = await request(baseUrl).get('/api/rooms').set(bearer(victimToken)).expect(200);
    return (response.body as { rooms: { name: string }[] }).rooms.map((room) => room.name);
  };

  it("should refuse a cross-site form post with the victim's session cookie", async () => {
    const forged = await request(baseUrl)
      .post('/api/rooms')
      .set('Cookie', victimCookie)
      .set('Origin', 'https://evil.example')
      .set('Sec-Fetch-Site', 'cross-site')
      .type('form')
      .send({ name: 'forged-form' });
    expect(forged.status).toBe(415);
    expect(forged.body).toMatchObject({
      code: 'bad_request',
      message: expect.stringContaining('application/json'),
    });
    expect(await roomNames()).not.toContain('forged-form');
  });

  it('should refuse JSON from a foreign origin, a cross-site fetch without Origin, a forged sign-out and upload', async () => {
    const json = await request(baseUrl)
      .post('/api/rooms')
      .set('Cookie', victimCookie)
      .set('Origin', 'https://evil.example')
      .send({ name: 'forged-json' });
    expect(json.status).toBe(403);
    expect(json.body.message).toContain('ALLOWED_ORIGINS');
    await request(baseUrl)
      .post('/api/rooms')
      .set('Cookie', victimCookie)
      .set('Sec-Fetch-Site', 'cross-site')
      .send({ name: 'forged-fetch' })
      .expect(403);
    await request(baseUrl)
      .post('/api/auth/logout')
      .set('Cookie', victimCookie)
      .set('Origin', 'https://evil.example')
      .expect(403);
    await request(baseUrl)
      .post('/api/uploads')
      .set('Cookie', victimCookie)
      .set('Origin', 'https://evil.example')
      .attach('file', await pngOf(4, 4), 'forged.png')
      .expect(403);
    await request(baseUrl)
      .post('/api/auth/login')
      .set('Origin', 'https://evil.example')
      .type('form')
      .send({ username: 'mallory', password: 'correct horse battery' })
      .expect(415);
    expect(await roomNames()).not.toEqual(expect.arrayContaining(['forged-json']));
    expect(await roomNames()).not.toContain('forged-fetch');
    // The forged sign-out signed nobody out.
    await request(baseUrl).get('/api/me').set('Cookie', victimCookie).expect(200);
  });

  it('should accept the same requests from an allowed origin, and Bearer requests without a cookie', async () => {
    await request(baseUrl)
      .post('/api/rooms')
      .set('Cookie', victimCookie)
      .set('Origin', own)
      .set('Sec-Fetch-Site', 'same-origin')
      .send({ name: 'honest-room' })
      .expect(201);
    const upload = await request(baseUrl)
      .post('/api/uploads')
      .set('Cookie', victimCookie)
      .set('Origin', own)
      .attach('file', await pngOf(4, 4), 'honest.png');
    expect(upload.status).toBe(201);
    const { key } = await app.get(ApiKeysService).create({ name: 'host-tool', scopes: ['messages:write'] });
    await request(baseUrl)
      .post('/api/rooms/general/messages')
      .set(bearer(key))
      .set('Origin', 'https://tool.example')
      .set('Idempotency-Key', 'host-tool-1')
      .send({ text: 'from a tool' })
      .expect(201);
  });

  it("should leave the host's own routes to the host: a form post from anywhere still reaches them", async () => {
    const response = await request(baseUrl)
      .post('/host/callback')
      .set('Cookie', victimCookie)
      .set('Origin', 'https://payments.example')
      .type('form')
      .send({ paid: 'yes' });
    expect(response.status).toBe(200);
    expect(forms).toContainEqual({ paid: 'yes' });
  });
});
