import { connectMany } from '../lib/connect-many.mjs';
import { DeliveryTracker, mergeSummaries } from '../lib/delivery-tracker.mjs';
import { ErrorTally } from '../lib/errors-tally.mjs';
import { round } from '../lib/stats.mjs';
import { roomNames } from '../lib/targets.mjs';
import { now, sleep, waitUntil } from '../lib/time.mjs';

/** How long after the send window the scenario waits for in-flight messages to land. */
const DRAIN_MS = 15_000;
const SETUP_MS = 60_000;

/**
 * Fan-out throughput: many members in one room, a few senders each keeping a bounded number of
 * unacknowledged messages in flight (a closed loop, so the server sets the pace and queues stay
 * bounded). Metric: message frames received by all clients per second of the send window.
 * With `rooms` > 1 (ours only; the baseline has no rooms) client i is in room i mod rooms, and
 * so is sender i: each room gets its share of members and senders.
 */
export default {
  name: 'fanout',
  title: 'fan-out',
  timeoutMs: (s) => SETUP_MS + s.durationSec * 1000 + DRAIN_MS + 10_000,

  /** @param {import('../lib/run-scenario.mjs').ScenarioContext} ctx */
  async run({ target, server, settings: s, registry, meter }) {
    const rooms = target.rooms ? s.rooms : 1;
    const { connections, failures } = await connectMany({
      target,
      server,
      count: s.clients,
      concurrency: s.concurrency,
      join: true,
      rooms,
      registry,
      deadline: now() + SETUP_MS,
    });
    if (failures.count > 0) {
      throw new Error(
        `${failures.count} of ${s.clients} clients could not connect and join: ${failures.first}`,
      );
    }
    const senderCount = Math.min(s.senders, connections.length);
    // One tracker per room: a member expects the messages of its own room only.
    const trackers = Array.from({ length: rooms }, () => new DeliveryTracker(senderCount));
    const roomOf = (index) => index % rooms;
    const errors = new ErrorTally();
    const textJson = JSON.stringify('x'.repeat(s.textBytes));
    const inFlight = new Array(senderCount).fill(0);
    let sending = false;
    let measuring = false;
    let deliveriesInWindow = 0;

    const sendOne = (sender) => {
      inFlight[sender]++;
      target.send(
        connections[sender],
        trackers[roomOf(sender)].nextId(sender),
        textJson,
        roomNames(rooms)[roomOf(sender)],
      );
    };
    // A receipt frees a window slot; while the window is open it is refilled at once.
    const release = (sender) => {
      inFlight[sender]--;
      if (sending) sendOne(sender);
    };

    connections.forEach((connection, index) => {
      const tracker = trackers[roomOf(index)];
      const receiver = tracker.addReceiver();
      const sender = index < senderCount ? index : -1;
      const ownPrefix = `${sender}.`;
      connection.onMessage = (clientId) => {
        receiver.record(clientId);
        if (measuring) deliveriesInWindow++;
        // The baseline has no ack: a sender's receipt is its own message coming back.
        if (!target.acks && sender >= 0 && clientId?.startsWith(ownPrefix)) release(sender);
      };
      connection.onError = (error) => {
        errors.add(error);
        if (sender >= 0 && error?.clientId?.startsWith(ownPrefix)) {
          tracker.refuse(error.clientId);
          release(sender);
        }
      };
      if (sender >= 0 && target.acks) connection.onAck = () => release(sender);
    });

    const stopMeter = meter();
    const start = now();
    sending = true;
    measuring = true;
    for (let sender = 0; sender < senderCount; sender++) {
      for (let i = 0; i < s.window; i++) sendOne(sender);
    }
    await sleep(s.durationSec * 1000);
    measuring = false;
    sending = false;
    const elapsedSec = (now() - start) / 1000;
    const sentInWindow = trackers.reduce((sum, tracker) => sum + tracker.totalSent, 0);
    const cpu = stopMeter();

    const drained = await waitUntil(
      () => inFlight.every((n) => n <= 0) && trackers.every((tracker) => tracker.allDelivered()),
      DRAIN_MS,
    );
    const summary = mergeSummaries(trackers.map((tracker) => tracker.summarize()));
    return {
      metrics: {
        deliveriesPerSec: Math.round(deliveriesInWindow / elapsedSec),
        // What a delivery costs the server, whoever set the pace (the generator often does).
        cpuUsPerDelivery:
          cpu.serverCpuSec === null ? null : round((cpu.serverCpuSec * 1e6) / deliveriesInWindow, 3),
        messagesPerSec: Math.round(sentInWindow / elapsedSec),
        windowSec: round(elapsedSec, 2),
      },
      delivery: { ...summary, drained },
      errors: errors.toJSON(),
      cpu,
    };
  },
};
