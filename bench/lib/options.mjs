import { parseArgs } from 'node:util';

/** Scenario names in the order they run; also the values `--scenario` accepts. */
export const SCENARIOS = ['fanout', 'latency', 'idle', 'storm', 'slow'];
export const TARGETS = ['ours', 'baseline'];

/**
 * The full run: the sizes the targets in bench/README.md were set for. Counts and durations are
 * the knobs a reader most often wants to change, so every one can be overridden by name.
 */
const FULL = {
  fanout: { clients: 100, senders: 10, window: 20, durationSec: 10, textBytes: 64, concurrency: 100 },
  latency: { clients: 1000, senders: 10, ratePerSec: 100, durationSec: 10, textBytes: 64, concurrency: 100 },
  idle: { connections: 10000, concurrency: 200, settleSec: 3 },
  storm: { connections: 2000, concurrency: 200 },
  slow: { clients: 50, senders: 5, ratePerSec: 100, durationSec: 20, messageBytes: 32768, concurrency: 50 },
};

/** `--quick`: a smoke run of about a minute that still exercises every code path. */
const QUICK = {
  fanout: { clients: 50, senders: 5, durationSec: 3 },
  latency: { clients: 200, senders: 5, ratePerSec: 50, durationSec: 3 },
  idle: { connections: 1000, settleSec: 1 },
  storm: { connections: 1000, concurrency: 100 },
  slow: { clients: 20, durationSec: 5 },
};

const USAGE = `usage: npm run bench -- [--quick] [--scenario fanout,latency,idle,storm,slow]
                       [--target ours,baseline] [--no-pin] [--wait-idle=<seconds>] [--cpu-prof]
                       [--<scenario>.<setting>=<number>]
examples: npm run bench -- --quick
          npm run bench -- --scenario fanout --fanout.durationSec=30
env: BENCH_QUICK=1, BENCH_SCENARIO=fanout, BENCH_TARGET=ours, BENCH_NO_PIN=1, BENCH_WAIT_IDLE=0`;

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
  const targets = listOf(values.target ?? env.BENCH_TARGET, TARGETS, 'target');
  const pin = values['no-pin'] !== true && env.BENCH_NO_PIN !== '1';

  /** @type {Record<string, Record<string, number>>} */
  const settings = {};
  for (const name of SCENARIOS) settings[name] = { ...FULL[name], ...(quick ? QUICK[name] : {}) };
  for (const [key, value] of Object.entries(values)) {
    if (['quick', 'scenario', 'target', 'no-pin', 'wait-idle', 'cpu-prof', 'help'].includes(key)) continue;
    const [scenario, setting, ...rest] = key.split('.');
    if (!settings[scenario] || !(setting in settings[scenario]) || rest.length > 0) {
      throw new Error(`unknown option --${key}\n${USAGE}`);
    }
    const number = Number(value);
    if (!Number.isFinite(number) || number <= 0) throw new Error(`--${key} needs a positive number`);
    settings[scenario][setting] = number;
  }
  // Seconds to wait, before each run, for other processes to leave the CPU (0: do not wait).
  const waitIdleSec = Number(values['wait-idle'] ?? env.BENCH_WAIT_IDLE ?? (quick ? 5 : 30));
  if (!Number.isFinite(waitIdleSec) || waitIdleSec < 0)
    throw new Error('--wait-idle needs seconds (0 or more)');
  // Profile our server (node --cpu-prof) in every scenario; the report lists the top functions.
  const cpuProf = values['cpu-prof'] === true || env.BENCH_CPU_PROF === '1';
  return { quick, scenarios, targets, pin, settings, waitIdleSec, cpuProf };
}

/** A comma-separated subset of `allowed`; all of them when absent. */
function listOf(raw, allowed, what) {
  if (raw === undefined || raw === true || raw === '') return [...allowed];
  const picked = String(raw)
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const item of picked) {
    if (!allowed.includes(item)) throw new Error(`unknown ${what} "${item}"; use ${allowed.join(', ')}`);
  }
  return allowed.filter((item) => picked.includes(item));
}
