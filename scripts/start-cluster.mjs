#!/usr/bin/env node
// `npm run start:cluster [-- N]`: N (default 2) api instances on ports 3001, 3002, ... sharing the
// local PostgreSQL and Redis, for trying the scale-out setup on one machine. Builds first if the
// build is missing, creates the database if needed, prints the URLs, and stops every instance on
// Ctrl-C. Kill one (its pid is printed) and its clients carry on through another.
//
// Environment (all optional): DATABASE_URL (postgres://postgres@127.0.0.1:5432/chat_demo),
// REDIS_URL (redis://127.0.0.1:6379), CLUSTER_BASE_PORT (3001), JWT_SECRET (generated once
// into data/cluster/jwt-secret), LOG_LEVEL (info).
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const count = Number(process.argv[2] ?? 2);
const basePort = Number(process.env.CLUSTER_BASE_PORT ?? 3001);
const databaseUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/chat_demo';
const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const dataDir = join(root, 'data', 'cluster');

function fail(message) {
  console.error(`start:cluster: ${message}`);
  process.exit(1);
}

function reachable(url, defaultPort) {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = net.connect({ host: hostname, port: Number(port || defaultPort) });
    socket.setTimeout(1000, () => socket.destroy() && resolve(false));
    socket.once('connect', () => socket.end() && resolve(true));
    socket.once('error', () => resolve(false));
  });
}

/** Creates the database of DATABASE_URL when it does not exist yet. */
async function ensureDatabase() {
  const target = new URL(databaseUrl);
  const name = decodeURIComponent(target.pathname.slice(1));
  const admin = new URL(databaseUrl);
  admin.pathname = '/postgres';
  const client = new pg.Client({ connectionString: admin.toString() });
  try {
    await client.connect();
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (rowCount === 0) {
      await client.query(`CREATE DATABASE "${name.replaceAll('"', '""')}"`);
      console.log(`created database ${name}`);
    }
  } catch (error) {
    fail(`cannot use PostgreSQL at ${target.host}: ${error.message}. Start it, or set DATABASE_URL.`);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** One secret for every instance (a token from one is valid on all), kept across runs. */
function sharedSecret() {
  if (process.env.JWT_SECRET) return process.env.JWT_SECRET;
  const file = join(dataDir, 'jwt-secret');
  if (!existsSync(file)) {
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(file, randomBytes(32).toString('hex'), { mode: 0o600 });
  }
  return readFileSync(file, 'utf8').trim();
}

if (!Number.isInteger(count) || count < 1) fail(`expected a number of instances, got "${process.argv[2]}"`);
if (!existsSync(join(root, 'apps/api/dist/main.js')) || !existsSync(join(root, 'apps/web/dist/index.html'))) {
  console.log('building (npm run build)...');
  if (spawnSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' }).status !== 0)
    fail('the build failed');
}
if (!(await reachable(redisUrl, 6379)))
  fail(`no Redis at ${redisUrl}. Start it (redis-server), or set REDIS_URL.`);
await ensureDatabase();

const env = {
  ...process.env,
  NODE_ENV: 'production',
  DATABASE_URL: databaseUrl,
  REDIS_URL: redisUrl,
  JWT_SECRET: sharedSecret(),
  DATA_DIR: dataDir,
};
const children = [];
let stopping = false;
for (let i = 0; i < count; i++) {
  const port = basePort + i;
  const child = spawn(process.execPath, [join(root, 'apps/api/dist/main.js')], {
    cwd: root,
    env: { ...env, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const prefix = `[${port}] `;
  for (const stream of [child.stdout, child.stderr]) {
    let partial = '';
    stream.on('data', (chunk) => {
      const lines = (partial + chunk.toString()).split('\n');
      partial = lines.pop();
      for (const line of lines) console.log(prefix + line);
    });
  }
  child.on('exit', (code, signal) => {
    console.log(`${prefix}exited (${signal ?? code})${stopping ? '' : '; the other instances carry on'}`);
    if (children.every((c) => c.exitCode !== null || c.signalCode !== null)) process.exit(0);
  });
  children.push(child);
  console.log(`instance ${i + 1}: http://localhost:${port} (pid ${child.pid})`);
}
console.log(
  `PostgreSQL ${new URL(databaseUrl).host}${new URL(databaseUrl).pathname}, Redis ${redisUrl}. Ctrl-C stops all.`,
);

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    console.log('stopping every instance...');
    for (const child of children)
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
  });
}
