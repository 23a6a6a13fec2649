import { mapLimit, openAccountSocket, postJson, registerAccounts } from '../lib/accounts.mjs';
import { ErrorTally } from '../lib/errors-tally.mjs';
import { summarizeLatency, round } from '../lib/stats.mjs';
import { roomNames } from '../lib/targets.mjs';
import { now, sleep, waitUntil } from '../lib/time.mjs';

const SETUP_MS = 420_000;
const DRAIN_MS = 15_000;
/** Log entries a member receives besides messages (edits, reactions, membership): all counted as deliveries. */
const CHANGE_EVENTS = new Set(['message.edited', 'message.deleted', 'reaction', 'member']);
/** The server's counters of store writes: messages, changes (edits, reactions) and read markers. */
const WRITE_METRICS = [
  'chat_messages_received_total',
  'chat_changes_received_total{kind="edit"}',
  'chat_changes_received_total{kind="react"}',
  'chat_read_markers_written_total',
];

/**
 * Room r's size, 2 to maxMembers, most rooms small and a few large (x³ of an even spread: a
 * quarter of the way up on average, about 14 members for 2 to 50), as rooms are. Every
 * membership costs the setup a durable join, so the shape also keeps the setup within minutes.
 */
const sizeOf = (r, s) => {
  const x = ((r * 7919) % 1000) / 1000;
  return 2 + Math.round((s.maxMembers - 2) * x ** 3);
};

async function sampleMetrics(base) {
  const text = await (await fetch(`${base}/metrics`)).text();
  const value = (name) =>
    Number(
      text
        .split('\n')
        .find((l) => l.startsWith(`${name} `))
        ?.slice(name.length + 1) ?? 0,
    );
  return Object.fromEntries(WRITE_METRICS.map((name) => [name, value(name)]));
}

/**
 * The mixed workload of issue 19: signed-in users in `rooms` rooms of 2 to `maxMembers` members
 * and one DM each, at a steady total rate: 90 % messages (some mentioning a member), 10 % edits
 * and reactions of one's own recent messages, and a `read` of every room with news from every
 * client every `readEverySec`. Metrics: server CPU µs per delivered frame (every message, change
 * and echo a client received), p99 from send to delivery of messages, store writes per second
 * (messages, changes, read markers, from the server's metrics) and read frames per marker write;
 * every member must get every message once. Ours only: the baseline has no accounts or rooms.
 */
export default {
  name: 'mixed',
  title: 'mixed workload',
  timeoutMs: (s) => SETUP_MS + s.durationSec * 1000 + DRAIN_MS + 30_000,

  /** @param {import('../lib/run-scenario.mjs').ScenarioContext} ctx */
  async run({ server, settings: s, registry, meter }) {
    const port = server.port;
    const base = `http://127.0.0.1:${port}`;
    const setupStarted = now();
    const rooms = roomNames(s.rooms); // created (public) by the harness before the run
    const accounts = await registerAccounts(base, s.users);
    const phases = { registerSec: round((now() - setupStarted) / 1000, 1) };

    // Who is in which room: room r takes sizeOf(r) consecutive users from a room-dependent start.
    const roomsOf = accounts.map(() => []);
    const membersOf = new Map();
    rooms.forEach((room, r) => {
      const size = Math.min(sizeOf(r, s), s.users);
      const start = (r * 31) % s.users;
      const members = Array.from({ length: size }, (_, j) => (start + j) % s.users);
      membersOf.set(room, members);
      for (const u of members) roomsOf[u].push(room);
    });
    // One DM per user, with the next one.
    const dms = await mapLimit(accounts, 4, (account, u) =>
      postJson(base, '/api/dms', { username: accounts[(u + 1) % s.users].user.name }, account.token),
    );
    phases.dmsSec = round((now() - setupStarted) / 1000, 1);
    dms.forEach((dm, u) => {
      const pair = [u, (u + 1) % s.users];
      membersOf.set(dm.name, pair);
      for (const member of pair) if (!roomsOf[member].includes(dm.name)) roomsOf[member].push(dm.name);
    });

    // Per client: what it has seen, for reads, dedup and latency.
    const sentAt = new Map(); // clientId -> send time (messages only)
    const latencies = [];
    let delivered = 0;
    let duplicates = 0;
    let measuring = false;
    let deliveredInWindow = 0;
    const clients = accounts.map((account, u) => ({
      u,
      name: account.user.name,
      seen: new Set(), // message clientIds received
      newest: new Map(), // room -> highest seq received
      readTo: new Map(), // room -> seq last sent in a read
      own: [], // { room, id } of own acked messages, newest last
      reactOn: false,
      joined: 0,
      errors: [],
      socket: null,
    }));
    const onFrame = (client) => (event, data, at) => {
      if (event === 'message') {
        if (client.seen.has(data.clientId)) duplicates++;
        else {
          client.seen.add(data.clientId);
          delivered++;
          const sent = sentAt.get(data.clientId);
          if (sent !== undefined) latencies.push(at - sent);
        }
        if (measuring) deliveredInWindow++;
        if (data.seq > (client.newest.get(data.room) ?? 0)) client.newest.set(data.room, data.seq);
      } else if (CHANGE_EVENTS.has(event) || event === 'read' || event === 'mention') {
        if (measuring) deliveredInWindow++;
        if (CHANGE_EVENTS.has(event) && data.seq > (client.newest.get(data.room) ?? 0))
          client.newest.set(data.room, data.seq);
      } else if (event === 'ack') {
        if (data.clientId.startsWith('m')) {
          client.own.push({ room: data.room, id: data.id });
          if (client.own.length > 20) client.own.shift();
        }
      } else if (event === 'joined') client.joined++;
      else if (event === 'error') client.errors.push(data);
    };
    await mapLimit(clients, 20, async (client) => {
      client.socket = await openAccountSocket(port, accounts[client.u].token, onFrame(client));
      registry.add({ terminate: client.socket.terminate, closed: false });
      for (const room of roomsOf[client.u]) client.socket.send('join', { room });
      const all = roomsOf[client.u].length;
      if (!(await waitUntil(() => client.joined >= all || client.errors.length > 0, SETUP_MS)))
        throw new Error(`${client.name} did not join its ${all} rooms`);
      if (client.errors.length > 0) throw new Error(`join refused: ${JSON.stringify(client.errors[0])}`);
    });
    const setupSec = (now() - setupStarted) / 1000;
    phases.joinsSec = round(setupSec, 1);
    await sleep(1000); // presence batches and member entries of the joins go out first

    // The steady workload, open loop: one action every 1/ratePerSec s, whatever the server does.
    const metricsBefore = await sampleMetrics(base);
    const stopMeter = meter();
    const started = now();
    measuring = true;
    let messages = 0;
    let changes = 0;
    let reads = 0;
    let action = 0;
    const expected = new Map(); // clientId -> members that must receive it
    let readTick = 0;
    const readTimer = setInterval(() => {
      // Every client, every readEverySec (spread over the period): a read for each room with news.
      for (const client of clients) {
        if ((client.u + readTick) % s.readEverySec !== 0) continue;
        for (const [room, seq] of client.newest) {
          if (seq <= (client.readTo.get(room) ?? 0)) continue;
          client.readTo.set(room, seq);
          client.socket.send('read', { room, seq });
          reads++;
        }
      }
      readTick++;
    }, 1000);
    const intervalMs = 1000 / s.ratePerSec;
    while (now() - started < s.durationSec * 1000) {
      const due = started + action * intervalMs;
      if (due > now()) await sleep(due - now());
      const client = clients[(action * 7) % clients.length];
      const roll = (action * 37) % 100;
      action++;
      const own = client.own.at(-1 - (action % Math.max(1, client.own.length)));
      if (roll < 10 && own) {
        const clientId = `c${action}`;
        if (roll < 5)
          client.socket.send('edit', { room: own.room, id: own.id, text: `edited ${action}`, clientId });
        else {
          client.reactOn = !client.reactOn;
          client.socket.send('react', {
            room: own.room,
            id: own.id,
            emoji: '👍',
            on: client.reactOn,
            clientId,
          });
        }
        changes++;
        continue;
      }
      const mine = roomsOf[client.u];
      const room = mine[action % mine.length];
      const members = membersOf.get(room);
      // Every 20th message mentions another member of the room.
      const mention = roll >= 95 ? ` @${clients[members[(action >> 1) % members.length]].name}` : '';
      const clientId = `m${action}`;
      expected.set(clientId, members);
      sentAt.set(clientId, now());
      client.socket.send('send', { room, text: `message ${action}${mention}`, clientId });
      messages++;
    }
    const elapsedSec = (now() - started) / 1000;
    clearInterval(readTimer);
    const tally = new ErrorTally();
    const isDelivered = (clientId, members) => members.every((u) => clients[u].seen.has(clientId));
    // Measured until the last message is in: a server that falls behind pays for it here too.
    const drained = await waitUntil(
      () => [...expected].every(([clientId, members]) => isDelivered(clientId, members)),
      DRAIN_MS,
    );
    const measuredSec = (now() - started) / 1000;
    measuring = false;
    const cpu = stopMeter();
    const metricsAfter = await sampleMetrics(base);
    for (const error of clients.flatMap((c) => c.errors)) tally.add(error);
    let lost = 0;
    let expectedDeliveries = 0;
    for (const [clientId, members] of expected) {
      expectedDeliveries += members.length;
      for (const u of members) if (!clients[u].seen.has(clientId)) lost++;
    }
    const writes = Object.fromEntries(
      WRITE_METRICS.map((name) => [name, metricsAfter[name] - metricsBefore[name]]),
    );
    const totalWrites = Object.values(writes).reduce((sum, n) => sum + n, 0);
    const markerWrites = writes.chat_read_markers_written_total;
    const latency = summarizeLatency(Float64Array.from(latencies));
    return {
      metrics: {
        cpuUsPerDelivery:
          cpu.serverCpuSec === null ? null : round((cpu.serverCpuSec * 1e6) / deliveredInWindow, 2),
        deliveriesPerSec: Math.round(deliveredInWindow / measuredSec),
        p50: latency.p50,
        p99: latency.p99,
        storeWritesPerSec: Math.round(totalWrites / elapsedSec),
        messagesPerSec: Math.round(messages / elapsedSec),
        changesPerSec: Math.round(changes / elapsedSec),
        readsPerSec: Math.round(reads / elapsedSec),
        readsPerMarkerWrite: markerWrites > 0 ? round(reads / markerWrites, 2) : null,
        writes,
        setupSec: round(setupSec, 1),
        setupPhases: phases,
        windowSec: round(elapsedSec, 2),
        drainSec: round(measuredSec - elapsedSec, 2),
        memberships: [...membersOf.values()].reduce((sum, m) => sum + m.length, 0),
      },
      delivery: { sent: messages, expected: expectedDeliveries, delivered, lost, duplicates, drained },
      errors: tally.toJSON(),
      cpu,
    };
  },
};
