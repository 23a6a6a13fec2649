#!/usr/bin/env node
// Many rooms over many instances: does each instance parse only the events of its own rooms?
// Starts `--instances` instances of the built server (npm run build first) on a fresh PostgreSQL
// database and the local Redis, creates `--rooms` rooms, and gives each room one reader and one
// sender on two different instances. The readers are spread unevenly (instance i reads i + 1
// tenths... of the rooms: 10 %, 20 %, 30 %, 40 % with four instances), so "in proportion to its
// own rooms" and "in proportion to the cluster" give different figures. Each room then gets
// `--messages` messages, and every instance's chat_bus_events_received_total and CPU are read
// before and after. Bounded: a few minutes at most; everything is stopped and dropped after.
//
// node scripts/cluster-rooms-bench.mjs [--instances 4] [--rooms 1000] [--messages 20]
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import { parseArgs } from 'node:util';
import WebSocket from 'ws';
import { readCpuSeconds, readMachineBusySeconds } from '../bench/lib/proc.mjs';
import { clusterEnvironment, metric, sleep, startInstance } from './lib/cluster-kit.mjs';

const { values: args } = parseArgs({
  options: {
    instances: { type: 'string', default: '4' },
    rooms: { type: 'string', default: '1000' },
    messages: { type: 'string', default: '20' },
  },
});
const INSTANCES = Number(args.instances);
const ROOMS = Number(args.rooms);
const MESSAGES = Number(args.messages);
/** Connections per instance and role: each joins its share of that instance's rooms. */
const CONNECTIONS_PER_ROLE = 10;
const WINDOW = 50;
const DEADLINE_MS = 5 * 60_000;
const ROOM_EVENTS = 'chat_bus_events_received_total{channel="room"}';
const ALL_EVENTS = 'chat_bus_events_received_total{channel="all"}';
const PRESENCE_ROOM = 'chat_bus_presence_events_received_total{channel="room"}';
const PRESENCE_ALL = 'chat_bus_presence_events_received_total{channel="all"}';
const ROOMS_WATCHED = 'chat_bus_topics_watched{kind="room"}';

const weightSum = (INSTANCES * (INSTANCES + 1)) / 2;
/** Room r's reader: instance i takes (i + 1) / weightSum of the rooms. */
const readerOf = (r) => {
  let slot = r % weightSum;
  for (let i = 0; i < INSTANCES; i++) {
    if (slot < i + 1) return i;
    slot -= i + 1;
  }
  return INSTANCES - 1;
};
/** Never the reader's instance, so that every message crosses the bus. */
const senderOf = (r) => (readerOf(r) + 1 + (r % (INSTANCES - 1))) % INSTANCES;

async function post(url, body, token) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token && { authorization: `Bearer ${token}` }) },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(10_000),
  });
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status} ${await response.text()}`);
  return response.json();
}

/** A guest connection in `rooms`; `onFrame` sees every frame after the joins. */
async function member(url, rooms, onFrame) {
  const socket = new WebSocket(`${url}?name=bench`, ['chat.v1']);
  await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
  let joined = 0;
  let allJoined;
  const ready = new Promise((resolve) => (allJoined = resolve));
  socket.on('message', (raw) => {
    const frame = JSON.parse(raw.toString());
    if (frame.event === 'joined' && ++joined === rooms.length) allJoined();
    else if (frame.event === 'error') throw new Error(`error frame: ${JSON.stringify(frame.data)}`);
    else onFrame(frame);
  });
  for (const room of rooms) socket.send(JSON.stringify({ event: 'join', data: { room } }));
  if (rooms.length > 0) await ready;
  return socket;
}

const split = (items, parts) =>
  Array.from({ length: parts }, (_, p) => items.filter((_, i) => i % parts === p));

const { env, drop } = await clusterEnvironment({ MAX_ROOMS_PER_CONNECTION: '0' });
const instances = [];
const sockets = [];
const timer = setTimeout(() => {
  console.error('cluster-rooms-bench: over its deadline');
  process.exit(2);
}, DEADLINE_MS);
try {
  for (let i = 0; i < INSTANCES; i++) instances.push(await startInstance(env));
  const names = Array.from({ length: ROOMS }, (_, r) => `room-${r}`);
  const { token } = await post(`${instances[0].base}/api/auth/register`, {
    username: `bench_${randomBytes(4).toString('hex')}`,
    password: randomBytes(16).toString('hex'),
  });
  for (const name of names) await post(`${instances[0].base}/api/rooms`, { name }, token);

  const received = new Map(); // room -> clientIds seen by its reader
  let delivered = 0;
  let duplicates = 0;
  for (let i = 0; i < INSTANCES; i++) {
    const mine = names.filter((_, r) => readerOf(r) === i);
    for (const rooms of split(mine, CONNECTIONS_PER_ROLE)) {
      sockets.push(
        await member(instances[i].ws, rooms, ({ event, data }) => {
          if (event !== 'message') return;
          const seen = received.get(data.room) ?? new Set();
          received.set(data.room, seen);
          if (seen.has(data.clientId)) duplicates++;
          else delivered++;
          seen.add(data.clientId);
        }),
      );
    }
  }
  const senders = [];
  let acked = 0;
  for (let i = 0; i < INSTANCES; i++) {
    const mine = names.filter((_, r) => senderOf(r) === i);
    for (const rooms of split(mine, CONNECTIONS_PER_ROLE)) {
      const sender = { rooms, socket: undefined, release: undefined };
      sender.socket = await member(instances[i].ws, rooms, ({ event }) => {
        if (event === 'ack') {
          acked++;
          sender.release?.();
        }
      });
      sockets.push(sender.socket);
      senders.push(sender);
    }
  }
  // Let the joins' presence and member entries settle before counting.
  await sleep(1500);
  const before = await Promise.all(
    instances.map(async (instance) => ({
      room: await metric(instance, ROOM_EVENTS),
      presence: (await metric(instance, PRESENCE_ROOM)) + (await metric(instance, PRESENCE_ALL)),
      all: await metric(instance, ALL_EVENTS),
      cpu: readCpuSeconds(instance.child.pid),
    })),
  );
  const busy0 = readMachineBusySeconds();
  const started = performance.now();
  const total = ROOMS * MESSAGES;
  // A closed loop per sender connection: WINDOW unacknowledged, the next one sent on each ack.
  senders.forEach((sender, s) => {
    const jobs = sender.rooms.flatMap((room) => Array.from({ length: MESSAGES }, (_, m) => ({ room, m })));
    let next = 0;
    sender.release = () => {
      if (next >= jobs.length) return;
      const { room, m } = jobs[next++];
      sender.socket.send(
        JSON.stringify({ event: 'send', data: { room, text: `m${m}`, clientId: `${s}-${room}-${m}` } }),
      );
    };
    for (let i = 0; i < WINDOW; i++) sender.release();
  });
  while ((acked < total || delivered < total) && performance.now() - started < DEADLINE_MS / 2)
    await sleep(20);
  const seconds = (performance.now() - started) / 1000;
  await sleep(500); // anything late would show as a duplicate or in the counters
  const busyCores = (readMachineBusySeconds() - busy0) / seconds;

  const rows = await Promise.all(
    instances.map(async (instance, i) => {
      const readerRooms = names.filter((_, r) => readerOf(r) === i).length;
      const senderRooms = names.filter((_, r) => senderOf(r) === i).length;
      const parsed = (await metric(instance, ROOM_EVENTS)) - before[i].room;
      return {
        instance: i,
        readerRooms,
        senderRooms,
        roomsWatched: await metric(instance, ROOMS_WATCHED),
        roomEventsParsed: parsed,
        parsedPerReaderRoom: Math.round((parsed / readerRooms) * 100) / 100,
        // With one channel for all rooms it would parse every message it did not publish itself.
        oneChannelWouldParse: total - senderRooms * MESSAGES,
        // Presence changes of the whole run (the joins included: counted from the start).
        presenceEventsParsed:
          (await metric(instance, PRESENCE_ROOM)) + (await metric(instance, PRESENCE_ALL)),
        clusterWideEventsParsed: (await metric(instance, ALL_EVENTS)) - before[i].all,
        cpuSec: Math.round((readCpuSeconds(instance.child.pid) - before[i].cpu) * 100) / 100,
      };
    }),
  );
  console.log(
    JSON.stringify(
      {
        machine: `${os.cpus().length} x ${os.cpus()[0]?.model}, node ${process.version}`,
        note: 'all instances, PostgreSQL, Redis and this generator share the machine',
        settings: { instances: INSTANCES, rooms: ROOMS, messagesPerRoom: MESSAGES },
        messages: total,
        acked,
        delivered,
        lost: total - delivered,
        duplicates,
        seconds: Math.round(seconds * 100) / 100,
        machineBusyCores: Math.round(busyCores * 100) / 100,
        perInstance: rows,
      },
      null,
      2,
    ),
  );
} finally {
  clearTimeout(timer);
  for (const socket of sockets) socket.terminate();
  for (const { child } of instances) child.kill('SIGTERM');
  await sleep(500);
  await drop();
}
