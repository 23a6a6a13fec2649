import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { closedEarly, ConnectionRegistry } from './connection-registry.mjs';
import { startCpuMeter } from './cpu-meter.mjs';
import { latestProfileIn, summarizeProfile } from './profile-summary.mjs';
import { ServerGroup, ServerProcess } from './server-process.mjs';
import { roomNames } from './targets.mjs';
import { withTimeout } from './time.mjs';

/**
 * What a scenario gets: the target adapter, its freshly started server, its settings, a registry
 * for every connection it opens, and a CPU meter to wrap its measured phase.
 * @typedef {{ target: import('./targets.mjs').Target, server: ServerGroup,
 *   settings: Record<string, number>, registry: ConnectionRegistry,
 *   meter: () => () => { serverCpuPct: number | null, generatorCpuPct: number | null } }} ScenarioContext
 */

/**
 * Runs one scenario against one target on a server of its own: a fresh process per run, so
 * memory figures do not carry the previous scenario's garbage and a crash spoils one cell only.
 * Never throws: failures (server did not start, crashed, scenario timed out) become `error`.
 * @param {{ scenario: any, target: import('./targets.mjs').Target, settings: Record<string, number>,
 *   repoRoot: string, dataRoot: string, serverCpu: number | null, profileDir?: string | null }} options
 */
export async function runScenario({
  scenario,
  target,
  settings,
  repoRoot,
  dataRoot,
  serverCpu,
  profileDir = null,
}) {
  const result = { scenario: scenario.name, target: target.name, ok: false };
  const dataDir = mkdtempSync(join(dataRoot, `${scenario.name}-${target.name}-`));
  const registry = new ConnectionRegistry();
  /** @type {ServerGroup | undefined} */
  let server;
  /** @type {(() => Promise<void>) | undefined} */
  let teardown;
  try {
    result.startFailed = true;
    const services = target.setup ? await target.setup() : { env: {}, teardown: async () => {} };
    teardown = services.teardown;
    const processes = [];
    server = new ServerGroup(processes);
    // One after the other: two instances migrating one fresh database at once would only wait for each other.
    for (let i = 0; i < target.instances; i++) {
      const instanceDir = join(dataDir, `instance-${i}`);
      mkdirSync(instanceDir);
      processes.push(
        await ServerProcess.start({
          name: target.instances > 1 ? `${target.name}#${i + 1}` : target.name,
          script: join(repoRoot, target.script),
          cwd: repoRoot,
          env: { ...target.env(instanceDir), ...services.env },
          cpu: serverCpu,
          isReady: target.ready,
          nodeArgs: profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [],
        }),
      );
    }
    server = new ServerGroup(processes);
    await target.prepare(server.port, roomNames(settings.rooms ?? 1));
    delete result.startFailed;
    const started = server;
    const run = scenario.run({ target, server, settings, registry, meter: () => startCpuMeter(started) });
    const crashed = server.exited.then(() => {
      throw new Error(`server stopped during the scenario: ${started.describeExit()}`);
    });
    // Whichever loses the race must not surface later as an unhandled rejection.
    run.catch(() => {});
    crashed.catch(() => {});
    Object.assign(
      result,
      await withTimeout(
        Promise.race([run, crashed]),
        scenario.timeoutMs(settings),
        `${scenario.name} on ${target.name}`,
      ),
    );
    result.ok = true;
  } catch (error) {
    result.error = error.message;
  } finally {
    result.closedByServer = closedEarly(registry);
    registry.terminateAll();
    if (server) {
      result.serverCrashed = !server.alive;
      // Writing a profile of a busy minute takes a few seconds at exit.
      await server.stop(profileDir ? 30_000 : 3000);
      if (profileDir) {
        const file = latestProfileIn(profileDir);
        result.profile = file
          ? summarizeProfile(file, { root: repoRoot, phase: result.cpu?.phase ?? null })
          : null;
      }
      const log = server.log.trim();
      if (log) result.serverLog = log.slice(-3000);
    }
    await teardown?.().catch((error) => (result.teardownError = error.message));
    rmSync(dataDir, { recursive: true, force: true });
  }
  return result;
}
