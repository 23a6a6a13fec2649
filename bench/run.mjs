/**
 * `npm run bench`: runs the load scenarios against our server and, in the same run and on the
 * same pinned core, against a minimal raw `ws` broadcast server (the baseline), then prints and
 * saves a comparison. See bench/README.md for what each scenario measures and how to read it.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureFileLimit } from './lib/file-limit.mjs';
import { describeMachine, describeRevision, hasTaskset, pinSelf } from './lib/machine.mjs';
import { readOptions } from './lib/options.mjs';
import { markdownReport } from './lib/report.mjs';
import { writeResults } from './lib/results.mjs';
import { waitForIdleMachine } from './lib/wait-idle.mjs';
import { combineRepeats } from './lib/repeats.mjs';
import { runScenario } from './lib/run-scenario.mjs';
import { killAllServers } from './lib/server-process.mjs';
import { TARGETS } from './lib/targets.mjs';
import bigjoin from './scenarios/bigjoin.mjs';
import fanout from './scenarios/fanout.mjs';
import idle from './scenarios/idle.mjs';
import latency from './scenarios/latency.mjs';
import mixed from './scenarios/mixed.mjs';
import slow from './scenarios/slow-consumer.mjs';
import storm from './scenarios/storm.mjs';

const SCENARIOS = { fanout, latency, idle, storm, slow, bigjoin, mixed };
const benchDir = dirname(fileURLToPath(import.meta.url));
const repoRoot = dirname(benchDir);

/** How many sockets each scenario holds at once; decides the open-files limit needed. */
const CONNECTION_SETTING = {
  fanout: 'clients',
  latency: 'clients',
  idle: 'connections',
  storm: 'connections',
  slow: 'clients',
  bigjoin: 'clients',
  mixed: 'users',
};

function main() {
  let options;
  try {
    options = readOptions(process.argv.slice(2), process.env);
  } catch (error) {
    console.error(error.message);
    return 2;
  }
  if (options.help) {
    console.log(options.help);
    return 0;
  }
  if (options.targets.includes('ours') && !existsSync(join(repoRoot, TARGETS.ours.script))) {
    console.error(`${TARGETS.ours.script} not found: run npm run build first`);
    return 1;
  }

  const notes = [];
  const maxConnections = Math.max(
    ...options.cases.map(({ scenario, settings }) => settings[CONNECTION_SETTING[scenario]]),
  );
  const fileLimit = ensureFileLimit(maxConnections);
  if (fileLimit.reexecuted !== undefined) return fileLimit.reexecuted;
  if (fileLimit.cap !== undefined) {
    for (const { label, scenario, settings } of options.cases) {
      const key = CONNECTION_SETTING[scenario];
      if (settings[key] > fileLimit.cap) {
        notes.push(
          `ulimit -n is ${fileLimit.limit} (hard limit too): ${label}: ${key} capped from ${settings[key]} to ${fileLimit.cap}; raise it with \`ulimit -n ${maxConnections + 200}\` for the full figure`,
        );
        settings[key] = fileLimit.cap;
      }
    }
  }

  const cores = os.availableParallelism?.() ?? os.cpus().length;
  let pinning;
  if (!options.pin) pinning = { enabled: false, reason: 'disabled by --no-pin' };
  else if (cores < 2) pinning = { enabled: false, reason: 'fewer than 2 cores' };
  else if (!hasTaskset()) pinning = { enabled: false, reason: 'taskset not found' };
  else pinning = { enabled: true, serverCpu: 1, generatorCpu: pinSelf(0) ? 0 : 'not pinned' };
  if (pinning.enabled && pinning.generatorCpu !== 0)
    notes.push('could not pin the load generator; it may share the server core');

  return runAll(options, pinning, fileLimit.limit, notes);
}

async function runAll(options, pinning, fileLimit, notes) {
  const dataRoot = mkdtempSync(join(os.tmpdir(), 'chat-bench-'));
  const cleanup = () => {
    killAllServers();
    rmSync(dataRoot, { recursive: true, force: true });
  };
  process.on('exit', cleanup);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.on(signal, () => {
      console.error(`\n${signal}: stopping servers`);
      process.exit(130);
    });
  }

  const startedAt = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  const settings = {
    mode: options.quick ? 'quick' : 'full',
    kind: options.sweep ? 'sweep' : options.compare ? 'compare' : 'standard',
    revision: describeRevision(repoRoot),
    pinning,
    fileLimit,
    repeat: options.repeat,
    cases: options.cases,
    targets: options.targets.map((name) => ({ name, description: TARGETS[name].description })),
    waitIdleSec: options.waitIdleSec,
    oursEnv: Object.fromEntries(Object.entries(TARGETS.ours.env('<temp dir>'))),
    notes,
  };
  const results = [];
  /** Targets whose server would not start: retrying in every scenario only repeats the error. */
  const broken = new Map();
  const stamp = startedAt.replace(/[:.]/g, '-');
  for (const [caseIndex, { label, scenario: name, settings: caseSettings }] of options.cases.entries()) {
    const scenario = SCENARIOS[name];
    const runs = new Map(options.targets.map((targetName) => [targetName, []]));
    // Targets take turns, so that a slow drift of the machine touches all of them alike.
    for (let round = 1; round <= options.repeat; round++) {
      for (const targetName of options.targets) {
        const target = TARGETS[targetName];
        const base = { scenario: name, case: label, target: targetName };
        if (broken.has(targetName)) {
          runs.get(targetName).push({ ...base, ok: false, error: `skipped: ${broken.get(targetName)}` });
          continue;
        }
        if ((caseSettings.rooms ?? 1) > 1 && !target.rooms) {
          runs.get(targetName).push({ ...base, ok: false, skipped: true, error: 'not applicable: no rooms' });
          continue;
        }
        const of = options.repeat > 1 ? ` (${round}/${options.repeat})` : '';
        process.stderr.write(`${label === name ? scenario.title : label} on ${targetName}${of}... `);
        const quiet = await waitForIdleMachine(options.waitIdleSec * 1000);
        if (quiet.waitedSec > 2) process.stderr.write(`(waited ${quiet.waitedSec} s for other processes) `);
        const t0 = performance.now();
        const result = await runScenario({
          scenario,
          target,
          settings: caseSettings,
          repoRoot,
          dataRoot,
          serverCpu: pinning.enabled ? pinning.serverCpu : null,
          profileDir: options.cpuProf
            ? join(benchDir, 'results', 'profiles', stamp, `${caseIndex}-${name}-${targetName}-${round}`)
            : null,
        });
        result.case = label;
        const seconds = ((performance.now() - t0) / 1000).toFixed(1);
        process.stderr.write(
          result.ok ? `done in ${seconds} s\n` : `FAILED in ${seconds} s: ${result.error.split('\n')[0]}\n`,
        );
        result.machineIdleBefore = quiet.idle;
        runs.get(targetName).push(result);
        if (result.startFailed) broken.set(targetName, `${targetName} failed to start in ${label}`);
      }
    }
    for (const targetRuns of runs.values()) results.push(combineRepeats(targetRuns));
  }

  const run = { startedAt, machine: describeMachine(), settings, results };
  const markdown = markdownReport(run);
  console.log(markdown);
  const files = writeResults(join(benchDir, 'results'), run, markdown);
  console.error(`results: ${files.md} and ${files.json} (also latest.md / latest.json)`);
  return results.every((r) => r.ok || r.skipped) ? 0 : 1;
}

process.on('uncaughtException', (error) => {
  console.error(error);
  killAllServers();
  process.exit(1);
});

const code = await main();
// Explicit exit: a stray timer or socket of a timed-out scenario must not keep the run alive.
process.exit(code);
