import { parseArgs } from 'node:util';
import { COMPARE_TARGETS, TARGETS as TARGET_DEFINITIONS } from './targets.mjs';

/** Scenario names in the order they run; also the values `--scenario` accepts. */
export const SCENARIOS = ['fanout', 'latency', 'idle', 'storm', 'slow', 'bigjoin', 'mixed'];
/** Targets a plain run compares; `--target` accepts any name in targets.mjs. */
export const TARGETS = ['ours', 'baseline'];

/**
 * The full run: the sizes the targets in bench/README.md were set for. Counts and durations are
 * the knobs a reader most often wants to change, so every one can be overridden by name.
 */
const FULL = {
  fanout: {
    clients: 100,
    senders: 10,
    window: 20,
    durationSec: 10,
    textBytes: 64,
    concurrency: 100,
    rooms: 1,
  },
  latency: { clients: 1000, senders: 10, ratePerSec: 100, durationSec: 10, textBytes: 64, concurrency: 100 },
  idle: { connections: 10000, concurrency: 200, settleSec: 3 },
  storm: { connections: 10000, concurrency: 200, warmup: 2000 },
  slow: { clients: 50, senders: 5, ratePerSec: 100, durationSec: 20, messageBytes: 32768, concurrency: 50 },
  bigjoin: { clients: 10000, concurrency: 100, warmup: 2000 },
  mixed: { users: 200, rooms: 1000, maxMembers: 50, ratePerSec: 200, durationSec: 20, readEverySec: 3 },
};

/** `--quick`: a smoke run of about a minute that still exercises every code path. */
const QUICK = {
  fanout: { clients: 50, senders: 5, durationSec: 3 },
  latency: { clients: 200, senders: 5, ratePerSec: 50, durationSec: 3 },
  idle: { connections: 1000, settleSec: 1 },
  storm: { connections: 1000, concurrency: 100, warmup: 500 },
  slow: { clients: 20, durationSec: 5 },
  bigjoin: { clients: 2000, warmup: 500 },
  mixed: { users: 40, rooms: 50, maxMembers: 20, ratePerSec: 50, durationSec: 5 },
};

/**
 * `--sweep`: how the figures grow (the cost growth table of docs/performance.md). Fan-out,
 * latency and the big-room join with 10, 100, 1000 and 10,000 clients in one room, then
 * 10,000 clients spread over 100 and 1000 rooms (one sender per room at least; ours only, the
 * baseline has no rooms). Short windows (5 s) so that the grid, each cell repeated, stays within
 * about an hour; `--quick` stops at 1000 clients and 100 rooms.
 */
function sweepCases(settings, quick) {
  const counts = quick ? [10, 100, 1000] : [10, 100, 1000, 10000];
  const cases = [];
  for (const clients of counts) {
    const senders = Math.min(10, clients);
    cases.push({
      label: `fanout, ${clients} clients`,
      scenario: 'fanout',
      settings: { ...settings.fanout, clients, senders, durationSec: 5, rooms: 1 },
    });
  }
  for (const clients of counts) {
    cases.push({
      label: `latency, ${clients} clients`,
      scenario: 'latency',
      settings: { ...settings.latency, clients, senders: Math.min(10, clients), durationSec: 5 },
    });
  }
  for (const clients of counts) {
    cases.push({
      label: `bigjoin, ${clients} clients`,
      scenario: 'bigjoin',
      settings: { ...settings.bigjoin, clients },
    });
  }
  const spread = counts.at(-1);
  for (const rooms of quick ? [10, 100] : [100, 1000]) {
    cases.push({
      label: `fanout, ${spread} clients in ${rooms} rooms`,
      scenario: 'fanout',
      settings: { ...settings.fanout, clients: spread, senders: Math.max(10, rooms), durationSec: 5, rooms },
    });
  }
  return cases;
}

const USAGE = `usage: npm run bench -- [--quick] [--scenario fanout,latency,idle,storm,slow,bigjoin,mixed]
                       [--target ours,baseline,...] [--compare] [--sweep] [--repeat=<n>]
                       [--no-pin] [--wait-idle=<seconds>] [--cpu-prof]
                       [--<scenario>.<setting>=<number>]
targets: ${Object.keys(TARGET_DEFINITIONS).join(', ')}
examples: npm run bench -- --quick
          npm run bench -- --scenario fanout --fanout.durationSec=30
          npm run bench -- --compare --scenario fanout,idle,slow --repeat=3
env: BENCH_QUICK=1, BENCH_SCENARIO=fanout, BENCH_TARGET=ours, BENCH_NO_PIN=1, BENCH_WAIT_IDLE=0,
     BENCH_REPEAT=3, BENCH_CPU_PROF=1`;

/** Flags that are not --<scenario>.<setting>. */
const FLAGS = [
  'quick',
  'scenario',
  'target',
  'no-pin',
  'wait-idle',
  'cpu-prof',
  'repeat',
  'compare',
  'sweep',
  'help',
];

/**
 * Reads flags, then environment variables (so CI can set them without touching the command).
 * Unknown flags are an error rather than silently ignored: a typo must not produce a full run
 * that the reader believes was a different one.
 * @param {string[]} argv
 * @param {NodeJS.ProcessEnv} env
 */
export function readOptions(argv, env) {
  const { values, positionals } = parseArgs({
    args: argv,
    strict: false,
    allowPositionals: true,
    options: {
      quick: { type: 'boolean' },
      scenario: { type: 'string' },
      target: { type: 'string' },
      'no-pin': { type: 'boolean' },
      'wait-idle': { type: 'string' },
      'cpu-prof': { type: 'boolean' },
      repeat: { type: 'string' },
      compare: { type: 'boolean' },
      sweep: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (positionals.length > 0) {
    throw new Error(
      `unexpected argument "${positionals[0]}" (settings take =: --fanout.durationSec=30)\n${USAGE}`,
    );
  }
  if (values.help) return { help: USAGE };
  const quick = values.quick === true || env.BENCH_QUICK === '1';
  const scenarios = listOf(values.scenario ?? env.BENCH_SCENARIO, SCENARIOS, 'scenario');
  const compare = values.compare === true;
  const targetList = values.target ?? env.BENCH_TARGET ?? (compare ? COMPARE_TARGETS.join(',') : undefined);
  const targets = listOf(targetList, Object.keys(TARGET_DEFINITIONS), 'target', TARGETS);
  const pin = values['no-pin'] !== true && env.BENCH_NO_PIN !== '1';

  /** @type {Record<string, Record<string, number>>} */
  const settings = {};
  for (const name of SCENARIOS) settings[name] = { ...FULL[name], ...(quick ? QUICK[name] : {}) };
  for (const [key, value] of Object.entries(values)) {
    if (FLAGS.includes(key)) continue;
    const [scenario, setting, ...rest] = key.split('.');
    if (!settings[scenario] || !(setting in settings[scenario]) || rest.length > 0) {
      throw new Error(`unknown option --${key}\n${USAGE}`);
    }
    const number = Number(value);
    // A warm-up may be 0 (none); every count and duration must be positive.
    const min = setting === 'warmup' ? 0 : Number.MIN_VALUE;
    if (!Number.isFinite(number) || number < min) throw new Error(`--${key} needs a positive number`);
    settings[scenario][setting] = number;
  }
  // Seconds to wait, before each run, for other processes to leave the CPU (0: do not wait).
  const waitIdleSec = Number(values['wait-idle'] ?? env.BENCH_WAIT_IDLE ?? (quick ? 5 : 30));
  if (!Number.isFinite(waitIdleSec) || waitIdleSec < 0)
    throw new Error('--wait-idle needs seconds (0 or more)');
  // Each cell runs this many times (targets interleaved) and reports its median run.
  const repeat = Number(values.repeat ?? env.BENCH_REPEAT ?? (quick ? 1 : 3));
  if (!Number.isInteger(repeat) || repeat < 1) throw new Error('--repeat needs a whole number, 1 or more');
  // Profile our server (node --cpu-prof) in every scenario; the report lists the top functions.
  const cpuProf = values['cpu-prof'] === true || env.BENCH_CPU_PROF === '1';
  const sweep = values.sweep === true;
  const cases = sweep
    ? sweepCases(settings, quick)
    : scenarios.map((scenario) => ({ label: scenario, scenario, settings: settings[scenario] }));
  return { quick, scenarios, targets, pin, settings, cases, sweep, compare, waitIdleSec, repeat, cpuProf };
}

/** A comma-separated subset of `allowed`; `fallback` (or all of them) when absent. */
function listOf(raw, allowed, what, fallback = allowed) {
  if (raw === undefined || raw === true || raw === '') return [...fallback];
  const picked = String(raw)
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const item of picked) {
    if (!allowed.includes(item)) throw new Error(`unknown ${what} "${item}"; use ${allowed.join(', ')}`);
  }
  return allowed.filter((item) => picked.includes(item));
}
