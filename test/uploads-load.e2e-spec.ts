import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomBytes, randomUUID } from 'node:crypto';
import request from 'supertest';
import sharp from 'sharp';
import { bearer, register } from './utils/accounts.js';
import { membershipApi } from './utils/membership.js';
import { createTestDatabase, postgresAvailability, type TestDatabase } from './utils/postgres.js';
import { describeWithService } from './utils/services.js';
import { NO_RATE_LIMITS, startApp, type TestApp } from './utils/start-app.js';
import { createTempDir } from './utils/temp-dir.js';
import { TestClient } from './utils/test-client.js';
import { pngOf } from './utils/uploads.js';

/**
 * File attachments under load and across instances: per-account upload quotas, uploads from a
 * browser session (CSRF), two instances sharing DATA_DIR, and chat latency during an upload
 * flood (test/uploads.e2e-spec.ts has each upload, send and download rule, on both stores).
 */
const postgres = await postgresAvailability();
const uniqueRoom = () => `upl-${randomBytes(4).toString('hex')}`;

describe('upload quotas', () => {
  let server: TestApp;

  beforeAll(async () => {
    server = await startApp({
      ...NO_RATE_LIMITS,
      UPLOADS_PER_HOUR_PER_USER: '3',
      UPLOAD_BYTES_PER_HOUR_PER_USER: '5000',
    });
  });
  afterAll(async () => {
    await server?.close();
  });

  const upload = (token: string, content: Buffer) =>
    request(server.baseUrl).post('/api/uploads').set(bearer(token)).attach('file', content, 'f.txt');

  it('should answer 429 with Retry-After to a flood of uploads from one account', async () => {
    const alice = await register(server.baseUrl);
    const statuses = [];
    for (let i = 0; i < 5; i++) statuses.push((await upload(alice.token, Buffer.from(`file ${i}`))).status);
    expect(statuses).toEqual([201, 201, 201, 429, 429]);
    const refused = await upload(alice.token, Buffer.from('more'));
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect(refused.body).toMatchObject({ code: 'rate_limited' });
    // Another account is not held back by alice's flood.
    const bob = await register(server.baseUrl);
    expect((await upload(bob.token, Buffer.from('bob'))).status).toBe(201);
  });

  it('should refuse the next upload once an hour of bytes is spent', async () => {
    const alice = await register(server.baseUrl);
    expect((await upload(alice.token, Buffer.alloc(6000, 'x'))).status).toBe(201);
    const refused = await upload(alice.token, Buffer.from('one more'));
    expect(refused.status).toBe(429);
    expect(refused.body.message).toMatch(/bytes/);
  });
});

describeWithService('two instances on one PostgreSQL, sharing DATA_DIR', postgres, () => {
  let dataDir: ReturnType<typeof createTempDir>;
  let database: TestDatabase;
  let first: TestApp;
  let second: TestApp;

  beforeAll(async () => {
    dataDir = createTempDir();
    database = await createTestDatabase();
    const env = { ...NO_RATE_LIMITS, DATA_DIR: dataDir.path, DATABASE_URL: database.url };
    first = await startApp(env);
    second = await startApp(env);
  });
  afterAll(async () => {
    await first?.close();
    await second?.close();
    await database?.drop();
    dataDir?.remove();
  });

  it('should serve a file uploaded through one instance from the other, with the same access rule', async () => {
    const alice = await register(first.baseUrl);
    const mallory = await register(second.baseUrl);
    const room = uniqueRoom();
    expect((await membershipApi(first.baseUrl, alice.token).createRoom(room, 'private')).status).toBe(201);
    const response = await request(first.baseUrl)
      .post('/api/uploads')
      .set(bearer(alice.token))
      .attach('file', await pngOf(64, 64), 'shared.png');
    expect(response.status).toBe(201);
    const client = await TestClient.joined(first.wsUrl, room, { token: alice.token });
    try {
      client.send('send', { room, text: '', clientId: 'shared-1', attachments: [response.body.id] });
      await client.next('ack', (data) => data.clientId === 'shared-1');
    } finally {
      await client.close();
    }
    const path = `/api/files/${response.body.id}`;
    expect((await request(second.baseUrl).get(path).set(bearer(alice.token))).status).toBe(200);
    expect((await request(second.baseUrl).get(`${path}/thumbnail`).set(bearer(alice.token))).status).toBe(
      200,
    );
    expect((await request(second.baseUrl).get(path).set(bearer(mallory.token))).status).toBe(404);
  });
});

describe('uploads from a browser session (cookie)', () => {
  let server: TestApp;
  let cookie: string;

  beforeAll(async () => {
    server = await startApp({ ...NO_RATE_LIMITS });
    cookie = `chat_token=${(await register(server.baseUrl)).token}`;
  });
  afterAll(async () => {
    await server?.close();
  });

  const upload = (headers: Record<string, string>) =>
    request(server.baseUrl)
      .post('/api/uploads')
      .set({ Cookie: cookie, ...headers })
      .attach('file', Buffer.from('hello'), 'hello.txt');

  it('should take a multipart upload from its own origin, and refuse one from another site', async () => {
    expect((await upload({ Origin: server.baseUrl })).status).toBe(201);
    expect((await upload({ 'Sec-Fetch-Site': 'same-origin' })).status).toBe(201);
    expect((await upload({ Origin: 'https://evil.example' })).status).toBe(403);
    expect((await upload({ 'Sec-Fetch-Site': 'cross-site' })).status).toBe(403);
    // Neither header: a form post from an old browser, or a tool; the cookie alone is not enough.
    expect((await upload({})).status).toBe(403);
  });

  it('should still refuse multipart bodies everywhere else', async () => {
    const response = await request(server.baseUrl)
      .post('/api/rooms')
      .set({ Cookie: cookie, Origin: server.baseUrl })
      .attach('file', Buffer.from('x'), 'x.txt');
    expect(response.status).toBe(415);
  });
});

describe('chat during an upload flood', () => {
  let server: TestApp;

  beforeAll(async () => {
    server = await startApp({
      ...NO_RATE_LIMITS,
      UPLOADS_PER_HOUR_PER_USER: '0',
      UPLOAD_BYTES_PER_HOUR_PER_USER: '0',
    });
  });
  afterAll(async () => {
    await server?.close();
  });

  /** Send-to-ack round trips of `count` messages, one after the other, in milliseconds. */
  const roundTrips = async (client: TestClient, room: string, count: number): Promise<number[]> => {
    const times: number[] = [];
    for (let i = 0; i < count; i++) {
      const clientId = randomUUID();
      const started = performance.now();
      client.send('send', { room, text: `ping ${i}`, clientId });
      await client.next('ack', (data) => data.clientId === clientId, 10_000);
      times.push(performance.now() - started);
    }
    return times;
  };
  const percentile = (values: number[], p: number) =>
    [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(values.length * p))]!;

  it('should keep answering other users while uploads of large images and files run (figures on stdout)', async () => {
    const bob = await register(server.baseUrl);
    const room = uniqueRoom();
    const client = await TestClient.joined(server.wsUrl, room, { token: bob.token });
    try {
      // A noisy picture compresses badly: megabytes to store and a real decode for its thumbnail.
      const image = await sharp({
        create: {
          width: 1400,
          height: 1000,
          channels: 3,
          background: '#808080',
          noise: { type: 'gaussian', mean: 128, sigma: 40 },
        },
      })
        .png()
        .toBuffer();
      const log = Buffer.alloc(8 * 1024 * 1024, 'log line\n');
      const idle = await roundTrips(client, room, 100);

      const uploaders = await Promise.all(Array.from({ length: 6 }, () => register(server.baseUrl)));
      let flooding = true;
      let uploads = 0;
      const flood = uploaders.map(async (account, index) => {
        while (flooding) {
          const [content, name] = index % 2 === 0 ? [image, 'noise.png'] : [log, 'big.log'];
          const response = await request(server.baseUrl)
            .post('/api/uploads')
            .set(bearer(account.token))
            .attach('file', content, name);
          expect(response.status).toBe(201);
          uploads++;
        }
      });
      const loaded = await roundTrips(client, room, 100);
      flooding = false;
      await Promise.all(flood);

      const figures = (times: number[]) =>
        `p50 ${percentile(times, 0.5).toFixed(1)} ms, p95 ${percentile(times, 0.95).toFixed(1)} ms, max ${Math.max(...times).toFixed(1)} ms`;
      process.stdout.write(
        `\nsend->ack, 100 sends: idle ${figures(idle)}; during ${uploads} uploads by 6 accounts ` +
          `(${(image.length / 1048576).toFixed(1)} MiB noise PNGs with thumbnails, 8 MiB logs): ${figures(loaded)}\n`,
      );
      expect(loaded).toHaveLength(100);
      expect(uploads).toBeGreaterThan(0);
    } finally {
      await client.close();
    }
  }, 120_000);
});
