import { randomBytes } from 'node:crypto';
import WebSocket from 'ws';

/** Runs `fn` over `items` with at most `concurrency` at a time; resolves with the results in order. */
export async function mapLimit(items, concurrency, fn) {
  const results = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index], index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
  return results;
}

export async function postJson(base, path, body, token) {
  const response = await fetch(`${base}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token && { authorization: `Bearer ${token}` }) },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(30_000),
  });
  if (!response.ok) throw new Error(`POST ${path}: HTTP ${response.status} ${await response.text()}`);
  return response.json();
}

/** `count` fresh accounts over the HTTP API, as people sign up: { token, user } each. */
export function registerAccounts(base, count, concurrency = 4) {
  const tag = randomBytes(3).toString('hex');
  return mapLimit(Array.from({ length: count }), concurrency, (_, i) =>
    postJson(base, '/api/auth/register', {
      username: `mx_${tag}_${i}`,
      password: `pw-${tag}-${i}-long enough`,
    }),
  );
}

/**
 * A chat.v1 connection of an account that parses every frame (the mixed workload needs rooms,
 * seqs and ids, and its traffic is modest) and hands it to `onFrame(event, data, at)`.
 */
export async function openAccountSocket(port, token, onFrame, timeoutMs = 10_000) {
  const ws = new WebSocket(`ws://127.0.0.1:${port}/ws`, ['chat.v1'], {
    headers: { authorization: `Bearer ${token}` },
    perMessageDeflate: false,
    handshakeTimeout: timeoutMs,
  });
  ws.on('message', (raw) => {
    const at = performance.now();
    const { event, data } = JSON.parse(raw.toString('utf8'));
    onFrame(event, data, at);
  });
  ws.on('error', () => {}); // the scenario notices a dead socket by what it stops receiving
  await new Promise((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('unexpected-response', (_request, response) =>
      reject(new Error(`HTTP ${response.statusCode} instead of an upgrade`)),
    );
    ws.once('error', reject);
  });
  return {
    ws,
    send: (event, data) => ws.readyState === WebSocket.OPEN && ws.send(JSON.stringify({ event, data })),
    terminate: () => {
      ws._socket?.resetAndDestroy?.();
      ws.terminate();
    },
  };
}
