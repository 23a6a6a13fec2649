import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ServerFrameSchema } from '@chat/contracts';
import request from 'supertest';
import WebSocket from 'ws';
import { nextFrame, type FuzzFrame } from './fuzz/frame-generators.js';
import { Random } from './fuzz/random.js';
import { startServerProcess, type ServerProcess } from './utils/server-process.js';
import { createTempDir } from './utils/temp-dir.js';
import { TestClient } from './utils/test-client.js';

/** `npm test` runs a short fuzz; `npm run fuzz` a long one (FUZZ_FRAMES, FUZZ_SEED to replay). */
const FRAMES = Number(process.env.FUZZ_FRAMES ?? 3000);
const SEED = Number(process.env.FUZZ_SEED ?? 20261125);
const MAX_FRAME_BYTES = 16_384;
const FUZZERS = 4;
/** Close codes the server may answer garbage with (RFC 6455 and the protocol's table). */
const DEFINED_CLOSE_CODES = new Set([1002, 1007, 1008, 1009, 1013]);

function rssBytes(pid: number): number {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Number(match?.[1] ?? 0) * 1024;
}

interface FuzzStats {
  sent: number;
  answers: number;
  closes: Map<number, number>;
  labels: Map<string, number>;
  internalErrors: string[];
  invalidAnswers: string[];
}

/** A raw socket that sends fuzz frames and checks every answer it gets. */
class Fuzzer {
  private socket!: WebSocket;
  /** Settles when the current socket opens (or fails to). */
  private opened!: Promise<void>;
  private stopped = false;

  constructor(
    private readonly url: string,
    private readonly stats: FuzzStats,
  ) {
    this.open();
  }

  private open(): void {
    const socket = new WebSocket(this.url, ['chat.v1']);
    this.socket = socket;
    // Settles either way: a connection refused or cut during the handshake must not stall the run.
    this.opened = new Promise((resolve) => {
      socket.once('open', () => resolve());
      socket.once('close', () => resolve());
    });
    socket.on('error', () => undefined);
    socket.on('message', (raw, isBinary) => {
      this.stats.answers++;
      const text = raw.toString();
      const parsed = isBinary ? null : ServerFrameSchema.safeParse(safeJson(text));
      if (!parsed?.success) this.stats.invalidAnswers.push(text.slice(0, 200));
      else if (parsed.data.event === 'error' && parsed.data.data.code === 'internal') {
        this.stats.internalErrors.push(text.slice(0, 300));
      }
    });
    socket.once('close', (code) => {
      if (this.stopped) return;
      this.stats.closes.set(code, (this.stats.closes.get(code) ?? 0) + 1);
      this.open(); // keep fuzzing on a fresh connection
    });
    socket.once('open', () => socket.send(JSON.stringify({ event: 'join', data: { room: 'general' } })));
  }

  async send(frame: FuzzFrame): Promise<void> {
    // The previous frame may have got this connection closed: wait for its replacement.
    for (let attempt = 0; !this.isOpen(); attempt++) {
      if (attempt === 500) throw new Error('the server stopped accepting connections');
      await this.opened;
      if (!this.isOpen()) await new Promise((resolve) => setTimeout(resolve, 10));
    }
    this.stats.sent++;
    this.stats.labels.set(frame.label, (this.stats.labels.get(frame.label) ?? 0) + 1);
    switch (frame.kind) {
      case 'text':
        this.socket.send(frame.data);
        break;
      case 'bytes-as-text':
        this.socket.send(frame.data, { binary: false });
        break;
      case 'binary':
        this.socket.send(frame.data, { binary: true });
        break;
      case 'fragmented':
        frame.parts.forEach((part, index) =>
          this.socket.send(part, { fin: index === frame.parts.length - 1 }),
        );
        break;
    }
  }

  private isOpen(): boolean {
    return this.socket.readyState === WebSocket.OPEN;
  }

  close(): void {
    this.stopped = true;
    this.socket.terminate();
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

describe(`fuzzing a live server (${FRAMES} frames, seed ${SEED})`, () => {
  const dataDir = createTempDir();
  let server: ServerProcess;

  beforeAll(async () => {
    server = await startServerProcess({
      DATA_DIR: dataDir.path,
      MAX_FRAME_BYTES: String(MAX_FRAME_BYTES),
      // The rate limits would drop most frames before they reach the parser: fuzz what is behind them.
      SEND_RATE_PER_SEC: '0',
      FRAME_RATE_PER_SEC: '0',
      SENDS_PER_MINUTE_PER_USER: '0',
      SENDS_PER_MINUTE_PER_IP: '0',
      READS_PER_MINUTE_PER_USER: '0',
      READS_PER_MINUTE_PER_IP: '0',
    });
  });
  afterAll(async () => {
    await server?.kill('SIGKILL');
    dataDir.remove();
  });

  it('should stay up, bounded in memory, answer only with error frames or defined close codes, and let others chat', async () => {
    const random = new Random(SEED);
    const stats: FuzzStats = {
      sent: 0,
      answers: 0,
      closes: new Map(),
      labels: new Map(),
      internalErrors: [],
      invalidAnswers: [],
    };
    const alice = await TestClient.joined(server.wsUrl, 'general', { name: 'Alice' });
    const bob = await TestClient.joined(server.wsUrl, 'general', { name: 'Bob' });
    const fuzzers = Array.from({ length: FUZZERS }, () => new Fuzzer(server.wsUrl, stats));

    // Warm up, so that start-up allocations are not counted as growth.
    for (let i = 0; i < 200; i++) await fuzzers[i % FUZZERS]!.send(nextFrame(random, MAX_FRAME_BYTES));
    const rssBefore = rssBytes(server.child.pid!);

    let conversations = 0;
    for (let i = 0; i < FRAMES; i++) {
      await fuzzers[i % FUZZERS]!.send(nextFrame(random, MAX_FRAME_BYTES));
      if (i % 250 === 0) {
        // Chat between honest clients goes on throughout.
        alice.send('send', { room: 'general', text: `still here ${i}`, clientId: `honest-${i}` });
        await bob.next('message', (m) => m.clientId === `honest-${i}`, 10_000);
        conversations++;
      }
      if (i % 50 === 0) await new Promise((resolve) => setImmediate(resolve));
    }
    // Let the last answers arrive, then look at the server.
    alice.send('ping', {});
    await alice.next('pong', undefined, 10_000);
    await request(server.baseUrl).get('/healthz').expect(200);
    const rssAfter = rssBytes(server.child.pid!);
    for (const fuzzer of fuzzers) fuzzer.close();
    await alice.close();
    await bob.close();

    const report = {
      seed: SEED,
      sent: stats.sent,
      answers: stats.answers,
      closes: Object.fromEntries(stats.closes),
      cases: Object.fromEntries(stats.labels),
      rssBeforeMiB: Math.round(rssBefore / 2 ** 20),
      rssAfterMiB: Math.round(rssAfter / 2 ** 20),
      conversations,
    };
    console.log(`fuzz report ${JSON.stringify(report)}`);

    expect(server.child.exitCode).toBeNull();
    expect(stats.internalErrors).toEqual([]);
    expect(stats.invalidAnswers).toEqual([]);
    for (const code of stats.closes.keys()) expect(DEFINED_CLOSE_CODES).toContain(code);
    expect(stats.sent).toBeGreaterThanOrEqual(FRAMES);
    expect(stats.answers).toBeGreaterThan(FRAMES / 4);
    // Garbage must not accumulate: allow for a warm heap, not for a leak per frame.
    expect(rssAfter - rssBefore).toBeLessThan(64 * 2 ** 20);
  });
});
