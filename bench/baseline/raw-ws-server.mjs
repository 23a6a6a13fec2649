/**
 * BASELINE: the least a WebSocket broadcast server can do, so that our server's figures have
 * something honest to be compared with on the same machine, core and Node version.
 *
 * On each text frame: parse the JSON object, add `time`, JSON.stringify once, send that one
 * string to every connected client (the sender included). No rooms, no validation, no
 * persistence, no back-pressure limit: whatever our server costs beyond this is the price of
 * its features. The load generator puts its own `clientId` in each object, so deliveries can be
 * counted exactly as for our server.
 *
 * Usage: PORT=<port> HOST=127.0.0.1 node bench/baseline/raw-ws-server.mjs (silent: no logs)
 * BASELINE_DEFLATE=default|all turns permessage-deflate on (for the option comparisons only).
 */
import { WebSocketServer } from 'ws';

const port = Number(process.env.PORT ?? 0);
const host = process.env.HOST ?? '127.0.0.1';
const perMessageDeflate =
  { default: true, all: { threshold: 0 } }[process.env.BASELINE_DEFLATE ?? ''] ?? false;

// Same framing settings as our server (no compression, same frame limit), so the comparison is
// about the server's work and not about options.
const server = new WebSocketServer({ host, port, path: '/ws', perMessageDeflate, maxPayload: 65536 });

server.on('connection', (socket) => {
  socket.on('error', () => {});
  socket.on('message', (data, isBinary) => {
    if (isBinary) return;
    let object;
    try {
      object = JSON.parse(data.toString('utf8'));
    } catch {
      return;
    }
    if (typeof object !== 'object' || object === null) return;
    object.time = Date.now();
    // Encoded to bytes once too, as our server does: a string would be re-encoded per client.
    const frame = Buffer.from(JSON.stringify(object));
    for (const client of server.clients) {
      if (client.readyState === 1) client.send(frame, { binary: false });
    }
  });
});

for (const signal of ['SIGTERM', 'SIGINT']) {
  process.on(signal, () => {
    for (const client of server.clients) client.terminate();
    server.close(() => process.exit(0));
    setTimeout(() => process.exit(0), 1000).unref();
  });
}
