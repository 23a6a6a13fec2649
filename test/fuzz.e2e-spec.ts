import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { nextFrame, type FuzzFrame } from './fuzz/frame-generators.js';
import { emptyStats, Fuzzer, type Outcome } from './fuzz/fuzzer.js';
import { Random } from './fuzz/random.js';
import { Bystander, describeBystander } from './utils/bystander.js';
import { startServerProcess, type ServerProcess } from './utils/server-process.js';
import { createTempDir } from './utils/temp-dir.js';
import { TestClient } from './utils/test-client.js';

/** `npm test` runs a short fuzz; `npm run fuzz` a long one (FUZZ_FRAMES, FUZZ_SEED to replay). */
const FRAMES = Number(process.env.FUZZ_FRAMES ?? 3000);
const SEED = Number(process.env.FUZZ_SEED ?? 20261125);
const MAX_FRAME_BYTES = 16_384;
const FUZZERS = 4;
/** Frames between two honest messages from Alice to Bob. */
const CONVERSATION_EVERY = 250;
/** Close codes the server may answer garbage with (RFC 6455 and the protocol's table). */
const DEFINED_CLOSE_CODES = new Set([1002, 1007, 1008, 1009, 1013]);

function rssBytes(pid: number): number {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Number(match?.[1] ?? 0) * 1024;
}

function frameBytes(frame: FuzzFrame): number {
  if (frame.kind === 'fragmented') return frame.parts.reduce((sum, part) => sum + Buffer.byteLength(part), 0);
  return typeof frame.data === 'string' ? Buffer.byteLength(frame.data) : frame.data.length;
}

/**
 * The outcome a frame must have whatever else happens, or null when several are right (a
 * near-valid envelope may be stored, refused or forbidden). Returns what went wrong, if anything.
 */
function wrongOutcome(frame: FuzzFrame, outcome: Outcome): string | null {
  const closedWith = (code: number) =>
    outcome.kind === 'closed' && outcome.code === code ? null : `expected close ${code}`;
  const refused = () =>
    outcome.kind === 'answered' &&
    outcome.answers.some((a) => a.event === 'error' && a.data.code === 'bad_request')
      ? null
      : 'expected a bad_request error, connection open';
  let wrong: string | null;
  if (frameBytes(frame) > MAX_FRAME_BYTES) wrong = closedWith(1009);
  else if (frame.label === 'invalid UTF-8') wrong = closedWith(1007);
  else if (['binary frame', 'deep nesting', 'random JSON'].includes(frame.label)) wrong = refused();
  else
    wrong =
      outcome.kind === 'closed' && !DEFINED_CLOSE_CODES.has(outcome.code) ? 'undefined close code' : null;
  return wrong && `${frame.label}: ${wrong}, got ${JSON.stringify(outcome).slice(0, 200)}`;
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
    const stats = emptyStats();
    const wrong: string[] = [];
    const alice = await TestClient.joined(server.wsUrl, 'general', { name: 'Alice' });
    const bob = await TestClient.joined(server.wsUrl, 'general', { name: 'Bob' });
    const fuzzers = Array.from({ length: FUZZERS }, () => new Fuzzer(server.wsUrl, stats));
    /** Frames in the seed's order; each fuzzer takes the next one as soon as its last one has its outcome. */
    const fuzz = async (count: number) => {
      let left = count;
      await Promise.all(
        fuzzers.map(async (fuzzer) => {
          while (left > 0) {
            left--;
            const frame = nextFrame(random, MAX_FRAME_BYTES);
            const problem = wrongOutcome(frame, await fuzzer.send(frame));
            if (problem) wrong.push(problem);
          }
        }),
      );
    };

    // Warm up, so that start-up allocations are not counted as growth.
    await fuzz(200);
    const rssBefore = rssBytes(server.child.pid!);
    const bystander = await Bystander.start(server.wsUrl);

    let conversations = 0;
    for (let done = 0; done < FRAMES; done += CONVERSATION_EVERY) {
      await fuzz(Math.min(CONVERSATION_EVERY, FRAMES - done));
      // Chat between honest clients goes on throughout.
      alice.send('send', { room: 'general', text: `still here ${done}`, clientId: `honest-${done}` });
      await bob.next('message', (m) => m.clientId === `honest-${done}`, 10_000);
      conversations++;
    }
    const seen = await bystander.stop();
    console.log(describeBystander(`${FRAMES} fuzz frames from ${FUZZERS} connections`, seen));
    await request(server.baseUrl).get('/healthz').expect(200);
    const rssAfter = rssBytes(server.child.pid!);
    for (const fuzzer of fuzzers) fuzzer.close();
    await alice.close();
    await bob.close();

    const report = {
      seed: SEED,
      sent: stats.sent,
      answers: stats.answers,
      outcomes: stats.outcomes,
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
    // Counted per frame, not by what had arrived when the run ended: holds on any machine.
    expect(stats.sent).toBe(FRAMES + 200);
    expect(stats.outcomes.answered + stats.outcomes.closed).toBe(stats.sent);
    expect(wrong).toEqual([]);
    expect(conversations).toBe(Math.ceil(FRAMES / CONVERSATION_EVERY));
    expect(seen.unanswered).toBe(0);
    // Garbage must not accumulate: allow for a warm heap, not for a leak per frame.
    expect(rssAfter - rssBefore).toBeLessThan(64 * 2 ** 20);
  });
});
