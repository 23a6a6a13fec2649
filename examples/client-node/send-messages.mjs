#!/usr/bin/env node
// Sends N messages to a room through @chat/client and waits until the server has stored every
// one, across any number of disconnects and server restarts in between (the session's outbox
// resends with the same clientIds, so nothing is stored twice).
//
//   node examples/client-node/send-messages.mjs --url ws://localhost:3000/ws --token <token> --count 100
//
// Prints one line per stored message ("delivered 7/100 <clientId>") and a last line
// "done: 100 delivered (98 by ack, 2 by stored copy), 0 failed"; exits 1 if any message failed
// or the time ran out. "By stored copy": the ack was lost with a connection (the server died
// right after storing), and the resume brought the message itself, which confirms it as well.
import { parseArgs } from 'node:util';
import { ChatSession } from '@chat/client';
import { WebSocket } from 'ws';

const say = (line) => process.stdout.write(`${line}\n`);

const { values } = parseArgs({
  options: {
    url: { type: 'string', default: 'ws://localhost:3000/ws' },
    token: { type: 'string' },
    name: { type: 'string', default: 'node-client' },
    room: { type: 'string', default: 'general' },
    count: { type: 'string', default: '100' },
    'interval-ms': { type: 'string', default: '0' },
    'timeout-ms': { type: 'string', default: '120000' },
    prefix: { type: 'string', default: 'message' },
  },
});
const count = Number(values.count);
const intervalMs = Number(values['interval-ms']);

// Node has no cookies: a token goes in the Authorization header; without one, a guest by name.
const url = values.token ? values.url : `${values.url}?name=${encodeURIComponent(values.name)}`;
const headers = values.token ? { Authorization: `Bearer ${values.token}` } : {};
const session = new ChatSession({
  url,
  socket: { createSocket: (target, protocols) => new WebSocket(target, protocols, { headers }) },
});

let delivered = 0;
let failed = 0;
let byAck = 0;
// Seen before the session handles the frame, so that the delivery it causes knows its reason.
const acked = new Set();
session.onRawMessage((raw) => {
  if (raw.startsWith('{"event":"ack"')) acked.add(JSON.parse(raw).data.clientId);
});
const finished = new Promise((resolve) => {
  session.onDelivered((pending) => {
    delivered++;
    if (acked.has(pending.clientId)) byAck++;
    say(`delivered ${delivered}/${count} ${pending.clientId}`);
    if (delivered + failed === count) resolve();
  });
  session.subscribe(() => {
    const nowFailed = session.getSnapshot().chat.outbox.filter((p) => p.status === 'failed').length;
    if (nowFailed !== failed) {
      failed = nowFailed;
      if (delivered + failed === count) resolve();
    }
  });
});
session.subscribe(() => {
  const { status } = session.getSnapshot().connection;
  if (status !== lastStatus) say(`connection ${(lastStatus = status)}`);
});
let lastStatus = '';

session.start();
// Written at once (or paced by --interval-ms) whatever the connection does: the outbox holds
// them, in order, until their room is joined.
for (let i = 0; i < count; i++) {
  session.send(`${values.prefix} ${i}`, { room: values.room });
  if (intervalMs > 0) await new Promise((resolve) => setTimeout(resolve, intervalMs));
}

const timeout = new Promise((resolve) => setTimeout(resolve, Number(values['timeout-ms']), 'timeout'));
const outcome = await Promise.race([finished, timeout]);
session.stop();
say(
  `done: ${delivered} delivered (${byAck} by ack, ${delivered - byAck} by stored copy), ${failed} failed` +
    (outcome === 'timeout' ? ', timed out' : ''),
);
process.exit(delivered === count ? 0 : 1);
