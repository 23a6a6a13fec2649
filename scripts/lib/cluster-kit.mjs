// What the cluster benchmarks share: built server processes on free ports, a throwaway
// PostgreSQL database and Redis prefix, the environment every instance gets, /metrics samples.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import net from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

export const ADMIN_URL = 'postgres://postgres@127.0.0.1:5432/postgres';
export const REDIS_URL = 'redis://127.0.0.1:6379';
const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
const main = join(root, 'apps/api/dist/main.js');

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

export const freePort = () =>
  new Promise((resolve) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });

/** Starts one instance of the built server and waits until it accepts connections. */
export async function startInstance(env) {
  if (!existsSync(main)) throw new Error('apps/api/dist is missing: run `npm run build` first');
  const port = await freePort();
  const child = spawn(process.execPath, [main], {
    env: { PATH: process.env.PATH, ...env, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  for (let i = 0; i < 200; i++) {
    const up = await new Promise((resolve) => {
      const socket = net.connect({ port, host: '127.0.0.1' });
      socket.once('connect', () => socket.end() && resolve(true));
      socket.once('error', () => resolve(false));
    });
    if (up) return { child, port, base: `http://127.0.0.1:${port}`, ws: `ws://127.0.0.1:${port}/ws` };
    await sleep(50);
  }
  throw new Error('an instance did not start');
}

/**
 * A fresh database and the environment for instances sharing it and the local Redis (under a
 * prefix of their own), limits off. `drop()` removes the database.
 */
export async function clusterEnvironment(extra = {}) {
  const database = `chat_bench_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${database}`);
  const env = {
    DATABASE_URL: ADMIN_URL.replace(/\/postgres$/, `/${database}`),
    REDIS_URL,
    REDIS_PREFIX: `bench-${randomBytes(4).toString('hex')}:`,
    JWT_SECRET: randomBytes(32).toString('hex'),
    SEND_RATE_PER_SEC: '0',
    FRAME_RATE_PER_SEC: '0',
    // Every benchmark client comes from one address: the per-user and per-IP quotas would refuse most.
    SENDS_PER_MINUTE_PER_USER: '0',
    SENDS_PER_MINUTE_PER_IP: '0',
    READS_PER_MINUTE_PER_USER: '0',
    READS_PER_MINUTE_PER_IP: '0',
    ROOMS_PER_HOUR_PER_USER: '0',
    ROOMS_PER_HOUR_PER_IP: '0',
    MAX_CONNECTIONS_PER_IP: '0',
    NODE_ENV: 'production',
    // In production an empty allow-list is warned about, once per place that builds it (more
    // than once per instance), burying the run's own output. The bench's clients send no Origin; their
    // instances are served on loopback, so that is the origin to name.
    ALLOWED_ORIGINS: 'http://127.0.0.1',
    ...extra,
  };
  return {
    env,
    async drop() {
      await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
      await admin.end();
    },
  };
}

/** One sample of a Prometheus text exposition (0 when absent). */
export async function metric(instance, name) {
  const text = await (await fetch(`${instance.base}/metrics`)).text();
  const line = text.split('\n').find((candidate) => candidate.startsWith(`${name} `));
  return line ? Number(line.slice(name.length + 1)) : 0;
}
