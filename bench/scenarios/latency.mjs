import { connectMany } from '../lib/connect-many.mjs';
import { DeliveryTracker } from '../lib/delivery-tracker.mjs';
import { ErrorTally } from '../lib/errors-tally.mjs';
import { paceSends } from '../lib/pace.mjs';
import { round, summarizeLatency } from '../lib/stats.mjs';
import { now, waitUntil } from '../lib/time.mjs';

const DRAIN_MS = 15_000;
const SETUP_MS = 120_000;

/**
 * Latency under load: a large room and a steady, open-loop send rate (sends do not wait for
 * answers, so a slow server cannot hide its delay by slowing the senders down). Every delivery
 * to every member is one sample: receive time minus send time, both on the generator's
 * monotonic clock, so no clock sync is involved.
 */
export default {
  name: 'latency',
  title: 'latency under load',
  timeoutMs: (s) => SETUP_MS + s.durationSec * 1000 + DRAIN_MS + 10_000,

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
    const senderCount = Math.min(s.senders, connections.length);
    const total = Math.round(s.ratePerSec * s.durationSec);
    const tracker = new DeliveryTracker(senderCount);
    const errors = new ErrorTally();
    const textJson = JSON.stringify('x'.repeat(s.textBytes));
    /** @type {Map<string, number>} clientId -> send time */
    const sentAt = new Map();
    const samples = new Float64Array(total * connections.length);
    let sampleCount = 0;
    // Send-to-ack time (ours only): tells delay before the fan-out (queueing, storage) from
    // delay in it.
    const ackSamples = new Float64Array(total);
    let ackCount = 0;

    for (const connection of connections) {
      const receiver = tracker.addReceiver();
      connection.onMessage = (clientId, receivedAt) => {
        if (!receiver.record(clientId)) return;
        const sent = sentAt.get(clientId);
        if (sent !== undefined && sampleCount < samples.length) samples[sampleCount++] = receivedAt - sent;
      };
      connection.onError = (error) => {
        errors.add(error);
        if (error?.clientId) tracker.refuse(error.clientId);
      };
      connection.onAck = (clientId, receivedAt) => {
        const sent = sentAt.get(clientId);
        if (sent !== undefined && ackCount < ackSamples.length) ackSamples[ackCount++] = receivedAt - sent;
      };
    }

    const stopMeter = meter();
    const start = now();
    await paceSends(total, s.ratePerSec, (k) => {
      const sender = k % senderCount;
      const clientId = tracker.nextId(sender);
      sentAt.set(clientId, now());
      target.send(connections[sender], clientId, textJson);
    });
    const sendSec = (now() - start) / 1000;
    const drained = await waitUntil(() => tracker.allDelivered(), DRAIN_MS);
    const cpu = stopMeter();
    return {
      metrics: {
        ...summarizeLatency(samples.subarray(0, sampleCount)),
        ack: target.acks ? summarizeLatency(ackSamples.subarray(0, ackCount)) : null,
        achievedRatePerSec: round(total / sendSec, 1),
        // The same load for both servers (open loop): what a delivery costs each at equal work.
        cpuUsPerDelivery:
          cpu.serverCpuSec === null || sampleCount === 0
            ? null
            : round((cpu.serverCpuSec * 1e6) / sampleCount, 3),
      },
      delivery: { ...tracker.summarize(), drained },
      errors: errors.toJSON(),
      cpu,
    };
  },
};
