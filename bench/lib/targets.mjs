import { randomBytes } from 'node:crypto';
import { openConnection } from './connection.mjs';
import { classifyBaseline, classifyOurs } from './frame-classifiers.mjs';
import { prepareRoom } from './prepare-room.mjs';
import { rawHandshake } from './raw-handshake.mjs';
import { createDatabase, redisPrefixCleaner, redisUrl } from './services.mjs';

/** The room every scenario uses on our server (the baseline has no rooms); more with `rooms` > 1. */
export const ROOM = 'bench';

/** The rooms of a scenario with `count` rooms: bench, bench-1, bench-2, … */
export const roomNames = (count) =>
  Array.from({ length: count }, (_, i) => (i === 0 ? ROOM : `${ROOM}-${i}`));

/**
 * The servers under test behind one interface, so each scenario is written once:
 * - connect(port, index): an open connection, ready to join (ours: after `welcome`)
 * - join(connection, room): member of a room (ours: after `joined`; baseline: nothing to do)
 * - send(connection, clientId, textJson, room): one chat message; textJson is
 *   JSON.stringify(text), computed once per scenario because texts repeat
 * - acks: whether the sender gets an ack (ours) or only its own echo (baseline) as its receipt
 * - prepare(port, rooms): once per server, before the scenario (ours: create the rooms)
 * - instances: server processes (2: a cluster; connection i goes to instance i mod 2)
 * - setup(): per run, services the servers need (a database); returns their env and a teardown
 * - handshake(port, index): what the connection storm opens: a bare WebSocket handshake (and, on
 *   ours, its welcome) without the ws client; absent where the storm needs the ws client (deflate)
 * @typedef {{ name: string, description: string, script: string, instances: number,
 *   env: (dataDir: string) => Record<string, string>, acks: boolean, rooms: boolean,
 *   setup?: () => Promise<{ env: Record<string, string>, teardown: () => Promise<void> }>,
 *   connect: (port: number, index: number, timeoutMs?: number) => Promise<import('./connection.mjs').BenchConnection>,
 *   join: (connection: import('./connection.mjs').BenchConnection, room?: string, timeoutMs?: number) => Promise<void>,
 *   send: (connection: import('./connection.mjs').BenchConnection, clientId: string, textJson: string, room?: string) => void,
 *   ready: (port: number) => Promise<void>, prepare: (port: number, rooms?: string[]) => Promise<void> }} Target
 */

/** How our server's first frame starts: a connection counts as usable once it is here. */
const WELCOME = '{"event":"welcome"';

/** Our server's environment in every variant: limits that would refuse benchmark traffic are off. */
const oursEnv = (dataDir) => ({
  LOG_LEVEL: 'warn',
  // 0 turns a limit off: the scenarios measure throughput and memory, not the abuse limits.
  SEND_RATE_PER_SEC: '0',
  // Every benchmark client comes from one address: the per-user and per-IP quotas would refuse most.
  SENDS_PER_MINUTE_PER_USER: '0',
  SENDS_PER_MINUTE_PER_IP: '0',
  READS_PER_MINUTE_PER_USER: '0',
  READS_PER_MINUTE_PER_IP: '0',
  ROOMS_PER_HOUR_PER_USER: '0',
  ROOMS_PER_HOUR_PER_IP: '0',
  MAX_ROOMS_PER_CONNECTION: '0',
  // The mixed workload signs up its users and opens their DMs from one address.
  LOGIN_LIMIT_PER_IP: '0',
  DMS_PER_MINUTE_PER_USER: '0',
  MAX_CONNECTIONS_PER_IP: '0',
  MAX_CONNECTIONS: '0',
  // Per-connection frame rate limit: a benchmark sender is over it by design, and would be slowed
  // down to it.
  FRAME_RATE_PER_SEC: '0',
  // The default (4000 characters) would refuse the slow-consumer scenario's 32 KiB messages.
  MAX_TEXT_LENGTH: '40000',
  DATA_DIR: dataDir,
});

/**
 * Our server, as a variant: `env` adds to the common environment, `clientDeflate` makes the
 * load generator offer permessage-deflate (a server can only compress for a client that asks).
 */
function ours(
  name,
  description,
  { script = 'apps/api/dist/main.js', env = {}, instances = 1, setup, clientDeflate = false } = {},
) {
  /** @type {Target} */
  const target = {
    name,
    description,
    script,
    instances,
    env: (dataDir) => ({ ...oursEnv(dataDir), ...env }),
    setup,
    acks: true,
    rooms: true,
    async connect(port, index, timeoutMs = 10_000) {
      const connection = await openConnection(`ws://127.0.0.1:${port}/ws?name=bench${index}`, {
        protocol: 'chat.v1',
        classify: classifyOurs,
        timeoutMs,
        perMessageDeflate: clientDeflate,
      });
      const first = await connection.next('welcome', timeoutMs).catch((error) => {
        connection.terminate();
        throw error;
      });
      if (first.event !== 'welcome') {
        connection.terminate();
        throw new Error(`expected welcome, got ${JSON.stringify(first).slice(0, 200)}`);
      }
      return connection;
    },
    async join(connection, room = ROOM, timeoutMs = 10_000) {
      connection.sendText(JSON.stringify({ event: 'join', data: { room } }));
      const frame = await connection.next('joined', timeoutMs);
      if (frame.event !== 'joined')
        throw new Error(`join refused: ${JSON.stringify(frame.data).slice(0, 200)}`);
    },
    send(connection, clientId, textJson, room = ROOM) {
      connection.sendText(
        `{"event":"send","data":{"room":"${room}","text":${textJson},"clientId":"${clientId}"}}`,
      );
    },
    handshake: clientDeflate
      ? undefined
      : (port, index, timeoutMs = 10_000) =>
          rawHandshake({
            port,
            path: `/ws?name=bench${index}`,
            protocol: 'chat.v1',
            firstFramePrefix: WELCOME,
            timeoutMs,
          }),
    async ready(port) {
      (await target.connect(port, 0, 2000)).terminate();
    },
    prepare: (port, rooms = [ROOM]) => prepareRoom(port, rooms),
  };
  return target;
}

/** The raw ws broadcast server; BASELINE_DEFLATE as in launch-ours.mjs. */
function baseline(name, description, { env = {}, clientDeflate = false } = {}) {
  /** @type {Target} */
  const target = {
    name,
    description,
    script: 'bench/baseline/raw-ws-server.mjs',
    instances: 1,
    env: () => env,
    acks: false,
    rooms: false,
    async connect(port, _index, timeoutMs = 10_000) {
      return openConnection(`ws://127.0.0.1:${port}/ws`, {
        classify: classifyBaseline,
        timeoutMs,
        perMessageDeflate: clientDeflate,
      });
    },
    async join() {},
    send(connection, clientId, textJson) {
      connection.sendText(`{"clientId":"${clientId}","text":${textJson}}`);
    },
    handshake: clientDeflate
      ? undefined
      : (port, _index, timeoutMs = 10_000) => rawHandshake({ port, path: '/ws', timeoutMs }),
    async ready(port) {
      (await target.connect(port, 0, 2000)).terminate();
    },
    async prepare() {},
  };
  return target;
}

/** A database of its own for each run, dropped afterwards. */
async function withDatabase() {
  const database = await createDatabase();
  return { env: { DATABASE_URL: database.url }, teardown: database.drop };
}

export const TARGETS = {
  ours: ours('ours', 'our server: SQLite, one instance, no compression'),
  baseline: baseline('baseline', 'raw ws broadcast, no compression'),
  'ours-deflate': ours(
    'ours-deflate',
    'ours with permessage-deflate, ws defaults (frames under 1 KiB sent as they are)',
    {
      script: 'bench/lib/launch-ours.mjs',
      env: { BENCH_WS_DEFLATE: 'default' },
      clientDeflate: true,
    },
  ),
  'ours-deflate-all': ours('ours-deflate-all', 'ours with permessage-deflate on every frame (threshold 0)', {
    script: 'bench/lib/launch-ours.mjs',
    env: { BENCH_WS_DEFLATE: 'all' },
    clientDeflate: true,
  }),
  'baseline-deflate-all': baseline('baseline-deflate-all', 'raw ws with permessage-deflate on every frame', {
    env: { BASELINE_DEFLATE: 'all' },
    clientDeflate: true,
  }),
  'ours-bufferutil': ours(
    'ours-bufferutil',
    'ours with the bufferutil and utf-8-validate addons (from BENCH_WS_NATIVE)',
    {
      env: { NODE_PATH: process.env.BENCH_WS_NATIVE ?? '' },
      setup: async () => {
        if (!process.env.BENCH_WS_NATIVE)
          throw new Error(
            'set BENCH_WS_NATIVE to a node_modules directory holding bufferutil and utf-8-validate',
          );
        return { env: {}, teardown: async () => {} };
      },
    },
  ),
  'ours-postgres': ours('ours-postgres', 'ours on PostgreSQL (a database of its own per run)', {
    setup: withDatabase,
  }),
  'ours-cluster': ours(
    'ours-cluster',
    'two instances of ours on one core, PostgreSQL and Redis; clients alternate',
    {
      instances: 2,
      setup: async () => {
        const database = await createDatabase();
        const prefix = `chat-bench-${randomBytes(4).toString('hex')}:`;
        const cleanRedis = redisPrefixCleaner(prefix);
        return {
          env: {
            DATABASE_URL: database.url,
            REDIS_URL: redisUrl(),
            REDIS_PREFIX: prefix,
            JWT_SECRET: randomBytes(32).toString('hex'),
          },
          teardown: async () => {
            await Promise.allSettled([database.drop(), cleanRedis()]);
          },
        };
      },
    },
  ),
};

/** What `--compare` runs: every option the issue asks to measure, next to ours and the baseline. */
export const COMPARE_TARGETS = [
  'ours',
  'baseline',
  'ours-deflate',
  'ours-deflate-all',
  'baseline-deflate-all',
  'ours-postgres',
  'ours-cluster',
  ...(process.env.BENCH_WS_NATIVE ? ['ours-bufferutil'] : []),
];
