import { connectMany } from '../lib/connect-many.mjs';
import { round } from '../lib/stats.mjs';
import { now } from '../lib/time.mjs';

const STORM_MS = 120_000;

/**
 * Connection storm: how fast the server takes in new clients (a deploy or an outage makes
 * everyone reconnect at once). A connection counts once usable: `welcome` received on ours,
 * `open` on the baseline, which has nothing more to say.
 */
export default {
  name: 'storm',
  title: 'connection storm',
  timeoutMs: () => STORM_MS + 15_000,

  /** @param {import('../lib/run-scenario.mjs').ScenarioContext} ctx */
  async run({ target, server, settings: s, registry, meter }) {
    const stopMeter = meter();
    const start = now();
    const { connections, failures } = await connectMany({
      target,
      port: server.port,
      count: s.connections,
      concurrency: s.concurrency,
      join: false,
      registry,
      deadline: start + STORM_MS,
    });
    const elapsedSec = (now() - start) / 1000;
    const cpu = stopMeter();
    if (connections.length === 0) throw new Error(`no connection could be opened: ${failures.first}`);
    return {
      metrics: {
        connectionsPerSec: Math.round(connections.length / elapsedSec),
        opened: connections.length,
        elapsedSec: round(elapsedSec, 2),
      },
      failures: failures.count > 0 ? failures : null,
      cpu,
    };
  },
};
