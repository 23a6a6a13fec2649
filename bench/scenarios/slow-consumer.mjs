import { connectMany } from '../lib/connect-many.mjs';
import { DeliveryTracker } from '../lib/delivery-tracker.mjs';
import { ErrorTally } from '../lib/errors-tally.mjs';
import { paceSends } from '../lib/pace.mjs';
import { startRssSampler } from '../lib/rss-sampler.mjs';
import { round } from '../lib/stats.mjs';
import { watchServerSideSocket } from '../lib/tcp-state.mjs';
import { now, sleep, waitUntil } from '../lib/time.mjs';

const SETUP_MS = 60_000;
const DRAIN_MS = 20_000;
/** After the run the slow client reads again, to learn the close code the server sent it. */
const CLOSE_WAIT_MS = 5_000;

/**
 * Slow consumer: one member stops reading (its TCP socket is paused, so the kernel buffers fill
 * and then the server's own queue for it grows) while others post large messages. Healthy
 * members must still get everything, and the server's memory must not grow with the slow one's
 * backlog: ours should close it (1013) once more than MAX_QUEUED_BYTES are queued; the
 * baseline, which has no such limit, shows what happens otherwise.
 *
 * When the server gave up on the slow client is read from the kernel (/proc/net/tcp: the
 * server's end of that connection leaves ESTABLISHED), because the paused client itself cannot
 * notice anything until it reads again.
 */
export default {
  name: 'slow',
  title: 'slow consumer',
  timeoutMs: (s) => SETUP_MS + s.durationSec * 1000 + DRAIN_MS + CLOSE_WAIT_MS + 15_000,

  /** @param {import('../lib/run-scenario.mjs').ScenarioContext} ctx */
  async run({ target, server, settings: s, registry, meter }) {
    const { connections, failures } = await connectMany({
      target,
      server,
      count: s.clients,
      concurrency: s.concurrency,
      join: true,
      registry,
      deadline: now() + SETUP_MS,
    });
    if (failures.count > 0) {
      throw new Error(
        `${failures.count} of ${s.clients} clients could not connect and join: ${failures.first}`,
      );
    }
    const slow = connections[connections.length - 1];
    const healthy = connections.slice(0, -1);
    const senderCount = Math.min(s.senders, healthy.length);
    const total = Math.round(s.ratePerSec * s.durationSec);
    const tracker = new DeliveryTracker(senderCount);
    const errors = new ErrorTally();
    const textJson = JSON.stringify('x'.repeat(s.messageBytes));

    for (const connection of healthy) {
      const receiver = tracker.addReceiver();
      connection.onMessage = (clientId) => receiver.record(clientId);
      connection.onError = (error) => {
        errors.add(error);
        if (error?.clientId) tracker.refuse(error.clientId);
      };
    }
    slow.pauseReading();
    await sleep(300);

    const rssBeforeKiB = server.rssKiB();
    const rss = startRssSampler(server, 100);
    const start = now();
    const serverSide = watchServerSideSocket(slow.remotePort, slow.localPort, 100);
    const stopMeter = meter();
    await paceSends(total, s.ratePerSec, (k) => {
      const sender = k % senderCount;
      target.send(healthy[sender], tracker.nextId(sender), textJson);
    });
    const drained = await waitUntil(() => tracker.allDelivered(), DRAIN_MS);
    const cpu = stopMeter();
    const rssMaxKiB = rss.stop();
    const rssEndKiB = server.rssKiB();
    const { closedAt: serverClosedAt, seen: watched } = serverSide.stop();

    slow.resumeReading();
    // Only a client the server gave up on will see a close; the baseline never closes it.
    if (serverClosedAt !== null) await waitUntil(() => slow.closed, CLOSE_WAIT_MS);
    const summary = tracker.summarize();
    return {
      metrics: {
        healthyDeliveredPct:
          summary.expectedDeliveries === 0
            ? null
            : round((100 * (summary.expectedDeliveries - summary.lost)) / summary.expectedDeliveries, 3),
        rssGrowthMiB: round((rssMaxKiB - rssBeforeKiB) / 1024, 1),
        rssBeforeMiB: round(rssBeforeKiB / 1024, 1),
        rssMaxMiB: round(rssMaxKiB / 1024, 1),
        // After the drain: tells garbage not yet collected at the peak from memory still held.
        rssEndMiB: round(rssEndKiB / 1024, 1),
        slowClosedByServer: watched ? serverClosedAt !== null : null,
        slowClosedAtSec: serverClosedAt === null ? null : round((serverClosedAt - start) / 1000, 2),
        slowCloseCodeSeen: slow.closed ? slow.closeCode : null,
        offeredMiBPerSec: round((s.ratePerSec * s.messageBytes) / 2 ** 20, 2),
      },
      delivery: { ...summary, drained },
      errors: errors.toJSON(),
      cpu,
    };
  },
};
