import { afterAll, beforeAll, expect, it } from '@jest/globals';
import request from 'supertest';
import { bearer, guest } from './utils/accounts.js';
import { Bystander, describeBystander } from './utils/bystander.js';
import {
  deleteRedisKeys,
  redisAvailability,
  redisServerAvailability,
  SHARED_REDIS_URL,
  startOwnRedis,
  uniqueRedisPrefix,
  type OwnRedis,
} from './utils/redis.js';
import { quotaBound, sendAll } from './utils/send-outcomes.js';
import { startServerProcess, type ServerProcess } from './utils/server-process.js';
import { describeWithService } from './utils/services.js';
import { startApp, type TestApp } from './utils/start-app.js';
import { createTempDir } from './utils/temp-dir.js';
import { closeAll, TestClient } from './utils/test-client.js';

const redis = await redisAvailability();
const MINUTE_MS = 60_000;
const JWT_SECRET = 'quota-test-secret-0123456789abcdef0123456789';
const SENDS_PER_IP = 30;
// Above the 60 joins of the send test (a join counts as a read), which come from the same IP.
const READS_PER_IP = 100;

describeWithService('quotas shared by two instances through Redis', redis, () => {
  const prefix = uniqueRedisPrefix();
  let servers: [TestApp, TestApp];

  beforeAll(async () => {
    const env = {
      REDIS_URL: SHARED_REDIS_URL,
      REDIS_PREFIX: prefix,
      JWT_SECRET,
      SENDS_PER_MINUTE_PER_IP: String(SENDS_PER_IP),
      SENDS_PER_MINUTE_PER_USER: '0',
      READS_PER_MINUTE_PER_IP: String(READS_PER_IP),
    };
    servers = [await startApp(env), await startApp(env)];
  });
  afterAll(async () => {
    await Promise.all(servers?.map((server) => server.close()) ?? []);
    await deleteRedisKeys(SHARED_REDIS_URL, prefix).catch(() => undefined);
  });

  it('should hold one IP to one send quota however its guests spread over the instances', async () => {
    const guests = await Promise.all(
      Array.from({ length: 60 }, (_, i) =>
        TestClient.joined(servers[i % 2]!.wsUrl, 'general', { name: `spread${i}` }),
      ),
    );
    const bystander = await Bystander.start(servers[0].wsUrl, 20);
    try {
      const started = performance.now();
      const outcomes = await Promise.all(
        guests.map((client, i) =>
          sendAll(
            client,
            'general',
            Array.from({ length: 10 }, (_, k) => `s${i}-${k}`),
            { paceMs: 100 },
          ),
        ),
      );
      const elapsed = performance.now() - started;
      expect(bystander.client.socket.readyState).toBe(bystander.client.socket.OPEN);
      const report = await bystander.stop();
      console.log(describeBystander('600 sends from one IP over two instances (Redis quota)', report));

      const acked = outcomes.flatMap((o) => o.acked).length;
      // Counted per instance, each would have let SENDS_PER_IP through: 2 × the quota.
      expect(acked).toBeGreaterThanOrEqual(SENDS_PER_IP);
      expect(acked).toBeLessThanOrEqual(quotaBound(SENDS_PER_IP, MINUTE_MS, elapsed));
      expect(outcomes.flatMap((o) => o.refused).every((e) => e.code === 'rate_limited')).toBe(true);
      expect(report.unanswered).toBe(0);
    } finally {
      await closeAll(guests);
    }
  });

  it('should share the HTTP read quota between the instances', async () => {
    const { token } = await guest(servers[0].baseUrl, 'reader');
    const started = performance.now();
    const statuses: number[] = [];
    for (let i = 0; i < READS_PER_IP * 2; i++) {
      const response = await request(servers[i % 2]!.baseUrl)
        .get('/api/rooms')
        .set(bearer(token));
      statuses.push(response.status);
    }
    const elapsed = performance.now() - started;
    const ok = statuses.filter((status) => status === 200).length;
    expect(ok).toBeLessThanOrEqual(quotaBound(READS_PER_IP, MINUTE_MS, elapsed));
    expect(statuses.filter((status) => status !== 200 && status !== 429)).toEqual([]);
  });
});

describeWithService('quotas while Redis is down', redisServerAvailability(), () => {
  let ownRedis: OwnRedis;
  // A process of its own: the test takes Redis away under it, and kills it at the end.
  let server: ServerProcess;
  const dataDir = createTempDir();

  beforeAll(async () => {
    // Our own redis-server, which the test stops: the machine's shared one is never disturbed.
    ownRedis = await startOwnRedis();
    server = await startServerProcess({
      DATA_DIR: dataDir.path,
      REDIS_URL: ownRedis.url,
      REDIS_PREFIX: uniqueRedisPrefix(),
      READS_PER_MINUTE_PER_IP: '5',
      SENDS_PER_MINUTE_PER_IP: '5',
    });
  });
  afterAll(async () => {
    await server?.kill('SIGKILL');
    await ownRedis?.stop();
    dataDir.remove();
  });

  it('should fall back to counting in memory, never failing a request for it', async () => {
    const { token } = await guest(server.baseUrl, 'offline');
    const client = await TestClient.joined(server.wsUrl, 'general', { token });
    await ownRedis.stop();
    const started = performance.now();
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) {
      statuses.push((await request(server.baseUrl).get('/api/rooms').set(bearer(token))).status);
    }
    const sends = await sendAll(
      client,
      'general',
      Array.from({ length: 12 }, (_, i) => `offline-${i}`),
    );
    const elapsed = performance.now() - started;
    await client.close();

    expect(statuses.filter((status) => status !== 200 && status !== 429)).toEqual([]);
    expect(statuses.filter((status) => status === 200).length).toBeLessThanOrEqual(
      quotaBound(5, MINUTE_MS, elapsed),
    );
    expect(statuses).toContain(429);
    expect(sends.acked.length).toBeGreaterThanOrEqual(1);
    expect(sends.acked.length).toBeLessThanOrEqual(quotaBound(5, MINUTE_MS, elapsed));
    expect(sends.refused.every((e) => e.code === 'rate_limited')).toBe(true);
  });
});
