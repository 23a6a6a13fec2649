import { openConnection } from './connection.mjs';
import { classifyBaseline, classifyOurs } from './frame-classifiers.mjs';
import { prepareRoom } from './prepare-room.mjs';

/** The one room every scenario uses on our server (the baseline has no rooms). */
const ROOM = 'bench';

/**
 * The two servers behind one interface, so each scenario is written once:
 * - connect(port, index): an open connection, ready to join (ours: after `welcome`)
 * - join(connection): member of the bench room (ours: after `joined`; baseline: nothing to do)
 * - send(connection, clientId, textJson): one chat message; textJson is JSON.stringify(text),
 *   computed once per scenario because texts repeat
 * - acks: whether the sender gets an ack (ours) or only its own echo (baseline) as its receipt
 * - prepare(port): once per server, before the scenario (ours: create the room)
 * @typedef {{ name: 'ours' | 'baseline', script: string, env: (dataDir: string) => Record<string, string>,
 *   acks: boolean, connect: (port: number, index: number, timeoutMs?: number) => Promise<import('./connection.mjs').BenchConnection>,
 *   join: (connection: import('./connection.mjs').BenchConnection, timeoutMs?: number) => Promise<void>,
 *   send: (connection: import('./connection.mjs').BenchConnection, clientId: string, textJson: string) => void,
 *   ready: (port: number) => Promise<void>, prepare: (port: number) => Promise<void> }} Target
 */

/** @type {Target} */
export const ours = {
  name: 'ours',
  script: 'apps/api/dist/main.js',
  env: (dataDir) => ({
    LOG_LEVEL: 'warn',
    // 0 turns a limit off: the scenarios measure throughput and memory, not the abuse limits.
    SEND_RATE_PER_SEC: '0',
    MAX_ROOMS_PER_CONNECTION: '0',
    MAX_CONNECTIONS_PER_IP: '0',
    // Per-connection frame rate limit and the strikes that close abusive peers: a benchmark
    // sender is "abusive" by design. (Dropped frames carry no clientId, so they would read as lost.)
    FRAME_RATE_PER_SEC: '0',
    ABUSE_STRIKES: '0',
    // The default (4000 characters) would refuse the slow-consumer scenario's 32 KiB messages.
    MAX_TEXT_LENGTH: '40000',
    DATA_DIR: dataDir,
  }),
  acks: true,
  async connect(port, index, timeoutMs = 10_000) {
    const connection = await openConnection(`ws://127.0.0.1:${port}/ws?name=bench${index}`, {
      protocol: 'chat.v1',
      classify: classifyOurs,
      timeoutMs,
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
  async join(connection, timeoutMs = 10_000) {
    connection.sendText(JSON.stringify({ event: 'join', data: { room: ROOM } }));
    const frame = await connection.next('joined', timeoutMs);
    if (frame.event !== 'joined')
      throw new Error(`join refused: ${JSON.stringify(frame.data).slice(0, 200)}`);
  },
  send(connection, clientId, textJson) {
    connection.sendText(
      `{"event":"send","data":{"room":"${ROOM}","text":${textJson},"clientId":"${clientId}"}}`,
    );
  },
  async ready(port) {
    (await ours.connect(port, 0, 2000)).terminate();
  },
  prepare: (port) => prepareRoom(port, ROOM),
};

/** @type {Target} */
export const baseline = {
  name: 'baseline',
  script: 'bench/baseline/raw-ws-server.mjs',
  env: () => ({}),
  acks: false,
  async connect(port, _index, timeoutMs = 10_000) {
    return openConnection(`ws://127.0.0.1:${port}/ws`, { classify: classifyBaseline, timeoutMs });
  },
  async join() {},
  send(connection, clientId, textJson) {
    connection.sendText(`{"clientId":"${clientId}","text":${textJson}}`);
  },
  async ready(port) {
    (await baseline.connect(port, 0, 2000)).terminate();
  },
  async prepare() {},
};

export const TARGETS = { ours, baseline };
