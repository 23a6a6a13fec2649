import { createTestDatabase, type TestDatabase } from './postgres.js';
import { deleteRedisKeys, uniqueRedisPrefix } from './redis.js';
import { startServerProcess, type ServerProcess } from './server-process.js';

export interface Cluster {
  servers: ServerProcess[];
  /** The environment every instance shares (start more with it). */
  env: Record<string, string>;
  database: TestDatabase;
  stop(): Promise<void>;
}

/**
 * `count` server processes sharing a fresh PostgreSQL database, one Redis (under a prefix of
 * their own) and one token secret: what a deployment behind a load balancer looks like.
 */
export async function startCluster(
  redisUrl: string,
  count: number,
  extraEnv: Record<string, string> = {},
): Promise<Cluster> {
  const database = await createTestDatabase();
  const prefix = uniqueRedisPrefix();
  const env = {
    DATABASE_URL: database.url,
    REDIS_URL: redisUrl,
    REDIS_PREFIX: prefix,
    JWT_SECRET: 'cluster-test-secret-0123456789abcdef0123',
    // These suites are about delivery between instances, not about the rate limits.
    SEND_RATE_PER_SEC: '0',
    FRAME_RATE_PER_SEC: '0',
    SENDS_PER_MINUTE_PER_USER: '0',
    SENDS_PER_MINUTE_PER_IP: '0',
    READS_PER_MINUTE_PER_USER: '0',
    READS_PER_MINUTE_PER_IP: '0',
    ...extraEnv,
  };
  const started = await Promise.allSettled(Array.from({ length: count }, () => startServerProcess(env)));
  const servers = started.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
  const failure = started.find((result) => result.status === 'rejected');
  if (failure) {
    // Leave nothing behind: the caller never gets a cluster to stop.
    await Promise.all(servers.map((server) => server.kill('SIGKILL')));
    await database.drop();
    throw failure.reason;
  }
  return {
    servers,
    env,
    database,
    async stop() {
      await Promise.all(servers.map((server) => server.kill('SIGKILL')));
      await database.drop();
      await deleteRedisKeys(redisUrl, prefix).catch(() => undefined);
    },
  };
}
