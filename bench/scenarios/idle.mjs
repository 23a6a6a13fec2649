import { connectMany } from '../lib/connect-many.mjs';
import { round } from '../lib/stats.mjs';
import { now, sleep } from '../lib/time.mjs';

const SETUP_MS = 180_000;

/**
 * Idle capacity: memory the server needs per connected, joined, silent client. Measured as the
 * growth of the server's resident set divided by the number of connections, after a short
 * settle so that allocation bursts of the handshakes have been collected.
 */
export default {
  name: 'idle',
  title: 'idle capacity',
  timeoutMs: (s) => SETUP_MS + s.settleSec * 1000 + 20_000,

  /** @param {import('../lib/run-scenario.mjs').ScenarioContext} ctx */
  async run({ target, server, settings: s, registry, meter }) {
    await sleep(500);
    const rssBeforeKiB = server.rssKiB();
    const stopMeter = meter();
    const start = now();
    const { connections, failures } = await connectMany({
      target,
      server,
      count: s.connections,
      concurrency: s.concurrency,
      join: true,
      registry,
      deadline: now() + SETUP_MS,
    });
    const openSec = (now() - start) / 1000;
    if (connections.length === 0) throw new Error(`no connection could be opened: ${failures.first}`);
    await sleep(s.settleSec * 1000);
    const rssAfterKiB = server.rssKiB();
    const stillOpen = connections.filter((c) => !c.closed).length;
    return {
      metrics: {
        rssPerConnBytes: Math.round(((rssAfterKiB - rssBeforeKiB) * 1024) / connections.length),
        rssBeforeMiB: round(rssBeforeKiB / 1024, 1),
        rssAfterMiB: round(rssAfterKiB / 1024, 1),
        opened: connections.length,
        stillOpen,
        openSec: round(openSec, 2),
      },
      failures: failures.count > 0 ? failures : null,
      cpu: stopMeter(),
    };
  },
};
