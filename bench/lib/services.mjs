import { randomBytes } from 'node:crypto';
import Redis from 'ioredis';
import pg from 'pg';

/** Where the option comparisons create their databases; only 127.0.0.1 is allowed. */
const ADMIN_URL = process.env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';

function local(url, what) {
  const { hostname } = new URL(url);
  if (hostname !== '127.0.0.1' && hostname !== 'localhost')
    throw new Error(`${what} must be on 127.0.0.1 (benchmark traffic stays on this machine): ${hostname}`);
  return url;
}

/** The Redis the cluster comparison uses. */
export const redisUrl = () => local(REDIS_URL, 'BENCH_REDIS_URL');

/** A fresh database for one run; `drop()` removes it. */
export async function createDatabase() {
  const name = `chat_bench_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: local(ADMIN_URL, 'BENCH_POSTGRES_URL') });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const client = new pg.Client({ connectionString: ADMIN_URL });
      await client.connect();
      try {
        await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
}

/** Deletes every Redis key under `prefix` (what a cluster run left behind). */
export function redisPrefixCleaner(prefix) {
  return async () => {
    const redis = new Redis(redisUrl(), { lazyConnect: true, maxRetriesPerRequest: 1 });
    await redis.connect();
    try {
      let cursor = '0';
      do {
        const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
        if (keys.length > 0) await redis.del(...keys);
        cursor = next;
      } while (cursor !== '0');
    } finally {
      redis.disconnect();
    }
  };
}
