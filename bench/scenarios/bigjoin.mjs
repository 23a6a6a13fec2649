import { connectMany } from '../lib/connect-many.mjs';
import { ConnectionRegistry } from '../lib/connection-registry.mjs';
import { round } from '../lib/stats.mjs';
import { now, sleep } from '../lib/time.mjs';

const JOIN_MS = 180_000;

/**
 * A big room filling up: `clients` connect and join ONE room, at most `concurrency` at a time
 * (the same bounded method for both targets), and the figure is the time until the last one is
 * in: ours counts a client once its `joined` arrived, the baseline (no rooms) once the
 * connection is open. Before presence became counts in big rooms, the n-th joiner cost O(n)
 * (the whole list to it, a diff to everyone), so this grew with the square of the room.
 *
 * As in the storm, `warmup` clients first connect, join the same room and are closed, so that
 * both servers (and the load generator) run compiled code: a fresh process spends about a
 * quarter of its first ten thousand joins compiling its hot paths on the one core it has.
 * `--bigjoin.warmup=0` measures that cold fill too (the first minutes after a restart).
 */
export default {
  name: 'bigjoin',
  title: 'big room join',
  timeoutMs: () => 2 * JOIN_MS + 30_000,

  /** @param {import('../lib/run-scenario.mjs').ScenarioContext} ctx */
  async run({ target, server, settings: s, registry, meter }) {
    if (s.warmup > 0) {
      // A registry of their own: closing them is ours to do, not the server's.
      const warmRegistry = new ConnectionRegistry();
      try {
        await connectMany({
          target,
          server,
          count: s.warmup,
          offset: s.clients,
          concurrency: s.concurrency,
          join: true,
          registry: warmRegistry,
          deadline: now() + JOIN_MS,
        });
      } finally {
        warmRegistry.terminateAll();
      }
      // Their presence is gone from the room before the measured clients arrive.
      await sleep(500);
    }
    await sleep(300);
    const stopMeter = meter();
    const start = now();
    const { connections, failures } = await connectMany({
      target,
      server,
      count: s.clients,
      concurrency: s.concurrency,
      join: true,
      registry,
      deadline: start + JOIN_MS,
    });
    const elapsedSec = (now() - start) / 1000;
    const cpu = stopMeter();
    if (connections.length === 0) throw new Error(`no connection could be opened: ${failures.first}`);
    const stillOpen = connections.filter((c) => !c.closed).length;
    return {
      metrics: {
        allJoinedSec: round(elapsedSec, 2),
        joinsPerSec: Math.round(connections.length / elapsedSec),
        joined: connections.length,
        stillOpen,
        serverCpuUsPerJoin:
          cpu.serverCpuSec === null ? null : Math.round((cpu.serverCpuSec * 1e6) / connections.length),
      },
      failures: failures.count > 0 ? failures : null,
      cpu,
    };
  },
};
