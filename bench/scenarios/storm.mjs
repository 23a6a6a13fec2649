import { connectMany } from '../lib/connect-many.mjs';
import { ConnectionRegistry } from '../lib/connection-registry.mjs';
import { round } from '../lib/stats.mjs';
import { now, sleep } from '../lib/time.mjs';

const STORM_MS = 120_000;

/**
 * Connection storm: how fast the server takes in new clients (a deploy or an outage makes
 * everyone reconnect at once). A connection counts once usable: `welcome` received on ours,
 * the 101 on the baseline, which has nothing more to say.
 *
 * Connections are bare handshakes on raw sockets (lib/raw-handshake.mjs), not `ws` clients: a
 * `ws` client costs the load generator more than a handshake costs the baseline server, and the
 * figure was the generator's. Before the measured storm, `warmup` connections are opened and
 * closed, so that both servers run compiled code: the storm measures the steady accept rate, not
 * the one-off JIT warm-up of a fresh process (about half a second for ours; `--storm.warmup=0`
 * measures it too).
 */
export default {
  name: 'storm',
  title: 'connection storm',
  timeoutMs: () => 2 * STORM_MS + 15_000,

  /** @param {import('../lib/run-scenario.mjs').ScenarioContext} ctx */
  async run({ target, server, settings: s, registry, meter }) {
    const open = target.handshake ?? ((port, index) => target.connect(port, index));
    if (s.warmup > 0) {
      // A registry of their own: closing them is ours to do, not the server's.
      const warmRegistry = new ConnectionRegistry();
      try {
        await connectMany({
          target,
          server,
          count: s.warmup,
          offset: s.connections,
          concurrency: s.concurrency,
          join: false,
          open,
          registry: warmRegistry,
          deadline: now() + STORM_MS,
        });
      } finally {
        warmRegistry.terminateAll();
      }
      await sleep(500);
    }
    const stopMeter = meter();
    const start = now();
    const { connections, failures } = await connectMany({
      target,
      server,
      count: s.connections,
      concurrency: s.concurrency,
      join: false,
      open,
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
        // What a connection costs the server whoever is the bottleneck: when the load generator
        // limits the rate (its CPU near 100 %), this is the figure that still tells servers apart.
        serverCpuUsPerConnection:
          cpu.serverCpuSec === null ? null : Math.round((cpu.serverCpuSec * 1e6) / connections.length),
        client: target.handshake ? 'raw handshake' : 'ws client',
      },
      failures: failures.count > 0 ? failures : null,
      cpu,
    };
  },
};
