#!/usr/bin/env node
// Measures what crossing instances costs, on this machine, against 127.0.0.1 only:
//   1. latency: a message sent on instance A, received on instance B (and, for comparison, by a
//      client on A itself); one message at a time, so this is latency without queueing;
//   2. throughput: senders on A posting as fast as acks allow, a reader on B;
//   3. raw Redis pub/sub: how many of our envelopes one Redis fans out per second.
// Starts two instances of the built server (npm run build first) on a fresh PostgreSQL database
// (dropped afterwards) and the local Redis under a throwaway prefix. Bounded: about a minute.
//
// node scripts/cluster-bench.mjs [--messages 1000] [--burst 4000]
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import { parseArgs } from 'node:util';
import { Redis } from 'ioredis';
import WebSocket from 'ws';
import { clusterEnvironment, REDIS_URL, sleep, startInstance } from './lib/cluster-kit.mjs';

const { values: args } = parseArgs({
  options: { messages: { type: 'string', default: '1000' }, burst: { type: 'string', default: '4000' } },
});
const MESSAGES = Number(args.messages);
const BURST = Number(args.burst);
const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
const ms = (ns) => Number(ns) / 1e6;

/** A chat.v1 client that resolves `next(event)` promises from a queue. */
async function client(url, name) {
  const socket = new WebSocket(`${url}?name=${name}`, ['chat.v1']);
  const queues = new Map();
  const waiters = new Map();
  socket.on('message', (raw) => {
    const { event, data } = JSON.parse(raw.toString());
    const waiting = waiters.get(event);
    if (waiting?.length) waiting.shift()(data);
    else queues.set(event, [...(queues.get(event) ?? []), data]);
  });
  await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
  const next = (event) =>
    new Promise((resolve) => {
      const queued = queues.get(event);
      if (queued?.length) resolve(queued.shift());
      else waiters.set(event, [...(waiters.get(event) ?? []), resolve]);
    });
  const send = (event, data) => socket.send(JSON.stringify({ event, data }));
  await next('welcome');
  send('join', { room: 'general' });
  await next('joined');
  return { socket, next, send, onMessage: (fn) => socket.on('message', fn) };
}

async function latency(a, b) {
  const sender = await client(a.ws, 'Sender');
  const remote = await client(b.ws, 'Remote');
  const local = await client(a.ws, 'Local');
  const remoteTimes = [];
  const localTimes = [];
  for (let i = 0; i < MESSAGES; i++) {
    const started = process.hrtime.bigint();
    sender.send('send', { room: 'general', text: `latency ${i}`, clientId: `l${i}` });
    await Promise.all([
      remote.next('message').then(() => remoteTimes.push(ms(process.hrtime.bigint() - started))),
      local.next('message').then(() => localTimes.push(ms(process.hrtime.bigint() - started))),
      sender.next('message'),
    ]);
  }
  for (const c of [sender, remote, local]) c.socket.close();
  const summary = (times) => {
    const sorted = [...times].sort((x, y) => x - y);
    return { median: percentile(sorted, 50).toFixed(2), p99: percentile(sorted, 99).toFixed(2) };
  };
  return { crossInstance: summary(remoteTimes), sameInstance: summary(localTimes) };
}

async function throughput(a, b) {
  const SENDERS = 4;
  const senders = await Promise.all(Array.from({ length: SENDERS }, (_, i) => client(a.ws, `Burst${i}`)));
  const reader = await client(b.ws, 'Reader');
  let received = 0;
  const done = new Promise((resolve) =>
    reader.onMessage((raw) => {
      if (raw.toString().startsWith('{"event":"message"') && ++received === BURST) resolve();
    }),
  );
  const started = process.hrtime.bigint();
  const perSender = BURST / SENDERS;
  await Promise.all(
    senders.map(async (sender, s) => {
      // Up to 200 unacknowledged at a time (the server allows 256).
      for (let sent = 0; sent < perSender; sent += 200) {
        const batch = Math.min(200, perSender - sent);
        for (let i = 0; i < batch; i++)
          sender.send('send', {
            room: 'general',
            text: `burst ${s}-${sent + i}`,
            clientId: `b${s}-${sent + i}`,
          });
        for (let i = 0; i < batch; i++) await sender.next('ack');
      }
    }),
  );
  await done;
  const seconds = ms(process.hrtime.bigint() - started) / 1000;
  for (const c of [...senders, reader]) c.socket.close();
  return Math.round(BURST / seconds);
}

async function rawRedis() {
  const channel = `bench-${randomBytes(4).toString('hex')}`;
  const publisher = new Redis(REDIS_URL);
  const subscriber = new Redis(REDIS_URL);
  await subscriber.subscribe(channel);
  // The size of a typical envelope: a short message with its user and ids.
  const payload = JSON.stringify({
    from: randomBytes(16).toString('hex'),
    event: {
      type: 'message',
      message: {
        id: randomBytes(16).toString('hex'),
        room: 'general',
        seq: 123456,
        clientId: randomBytes(16).toString('hex'),
        user: { id: randomBytes(16).toString('hex'), name: 'Somebody', guest: false },
        text: 'a message of about the length people type in a chat room, give or take',
        time: new Date().toISOString(),
      },
    },
  });
  const COUNT = 100_000;
  let received = 0;
  const done = new Promise((resolve) => subscriber.on('message', () => ++received === COUNT && resolve()));
  const started = process.hrtime.bigint();
  for (let i = 0; i < COUNT; i += 1000) {
    const pipeline = publisher.pipeline();
    for (let j = 0; j < 1000; j++) pipeline.publish(channel, payload);
    await pipeline.exec();
  }
  await done;
  const seconds = ms(process.hrtime.bigint() - started) / 1000;
  publisher.disconnect();
  subscriber.disconnect();
  return { perSecond: Math.round(COUNT / seconds), bytes: payload.length };
}

const { env, drop } = await clusterEnvironment();
const instances = [];
try {
  instances.push(await startInstance(env), await startInstance(env));
  const [a, b] = instances;
  const lat = await latency(a, b);
  const rate = await throughput(a, b);
  const redis = await rawRedis();
  console.log(
    JSON.stringify(
      {
        machine: `${os.cpus().length} x ${os.cpus()[0]?.model}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, node ${process.version}`,
        note: 'both instances, PostgreSQL, Redis and this client share the machine',
        latencyMs: { messages: MESSAGES, ...lat },
        crossInstanceMessagesPerSecond: { messages: BURST, senders: 4, perSecond: rate },
        rawRedisPubSub: redis,
      },
      null,
      2,
    ),
  );
} finally {
  for (const { child } of instances) child.kill('SIGTERM');
  await sleep(500);
  await drop();
}
