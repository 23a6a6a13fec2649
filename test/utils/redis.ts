import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { freePort } from './server-process.js';
import { isReachable } from './services.js';

/** The machine's shared Redis. Tests never stop it, and keep their keys under their own prefix. */
export const SHARED_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

export async function redisAvailability(): Promise<{ available: boolean; reason: string }> {
  const url = new URL(SHARED_REDIS_URL);
  const available = await isReachable(url.hostname, Number(url.port || 6379));
  return { available, reason: `Redis at ${url.host} (set TEST_REDIS_URL to use another)` };
}

/** Whether the tests can start a Redis of their own (for the ones that stop and restart it). */
export function redisServerAvailability(): { available: boolean; reason: string } {
  const found = spawnSync('redis-server', ['--version']).status === 0;
  return { available: found, reason: 'redis-server on PATH (apt-get install -y redis-server)' };
}

/** A key and channel prefix of its own for one test run: parallel runs never see each other. */
export function uniqueRedisPrefix(): string {
  return `chat-test-${randomBytes(6).toString('hex')}:`;
}

/** Removes every key under `prefix` (pub/sub channels leave nothing behind). */
export async function deleteRedisKeys(url: string, prefix: string): Promise<void> {
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1, retryStrategy: () => null });
  try {
    await redis.connect();
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
      if (keys.length > 0) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}

export interface OwnRedis {
  url: string;
  port: number;
  /** Kills it (nothing is persisted: a restart starts empty, like a crashed cache). */
  stop(): Promise<void>;
  /** Starts it again on the same port. */
  start(): Promise<void>;
}

/** A redis-server of the test's own on a free port, for tests that take Redis away. */
export async function startOwnRedis(): Promise<OwnRedis> {
  const port = await freePort();
  let child: ChildProcess | undefined;
  const start = async () => {
    child = spawn(
      'redis-server',
      ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      { stdio: 'ignore' },
    );
    const deadline = Date.now() + 10_000;
    while (!(await isReachable('127.0.0.1', port, 200))) {
      if (Date.now() > deadline) throw new Error(`redis-server did not listen on ${port}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };
  const stop = async () => {
    const running = child;
    if (!running || running.exitCode !== null || running.signalCode !== null) return;
    await new Promise((resolve) => {
      running.once('exit', resolve);
      running.kill('SIGKILL');
    });
  };
  await start();
  return { url: `redis://127.0.0.1:${port}`, port, stop, start };
}
