import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { until } from '../testing/until.js';
import { testWsServer, type TestWsServer } from '../testing/ws-server.js';
import { ReconnectingSocket } from './reconnecting-socket.js';
import type { SocketState, SocketStatus } from './types.js';

/** Waits never end on their own here: only the network and attention signals can cut them short. */
const SLOW_BACKOFF = { baseMs: 60_000, maxMs: 60_000 };

/** What `navigator.onLine` says, switched as a browser's network would. */
function setOnline(online: boolean): void {
  Object.defineProperty(navigator, 'onLine', { configurable: true, get: () => online });
  window.dispatchEvent(new Event(online ? 'online' : 'offline'));
}

describe(ReconnectingSocket.name, () => {
  let ws: TestWsServer;
  let socket: ReconnectingSocket | undefined;
  let statuses: SocketStatus[];
  let state: SocketState;

  const open = (options: ConstructorParameters<typeof ReconnectingSocket>[1] = {}) => {
    statuses = [];
    socket = new ReconnectingSocket(ws.url, { backoff: SLOW_BACKOFF, ...options });
    socket.onState((next) => {
      state = next;
      if (statuses.at(-1) !== next.status) statuses.push(next.status);
    });
    return socket;
  };

  beforeEach(() => {
    ws = testWsServer();
  });
  afterEach(async () => {
    socket?.close();
    setOnline(true);
    await ws.close();
  });

  it('should say offline as soon as the browser does, even with an open socket, and not "open"', async () => {
    open();
    await until(() => state.status === 'open');
    setOnline(false);
    expect(state.status).toBe('offline');
    expect(state.nextRetryAt).not.toBeNull();
    await until(() => ws.connections[0]!.readyState === ws.connections[0]!.CLOSED);
  });

  it('should reconnect at once when the network is back, whatever the backoff said', async () => {
    open();
    await until(() => state.status === 'open');
    setOnline(false);
    setOnline(true);
    await until(() => state.status === 'open');
    expect(ws.connections).toHaveLength(2);
    expect(statuses).toEqual(['connecting', 'open', 'offline', 'reconnecting', 'open']);
  });

  it('should retry at once on window focus and when the tab becomes visible', async () => {
    open();
    await until(() => state.status === 'open');
    ws.connections[0]!.close(1012);
    await until(() => state.status === 'reconnecting');
    window.dispatchEvent(new Event('focus'));
    await until(() => state.status === 'open');
    expect(ws.connections).toHaveLength(2);

    ws.connections[1]!.close(1012);
    await until(() => state.status === 'reconnecting');
    Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'visible' });
    document.dispatchEvent(new Event('visibilitychange'));
    await until(() => state.status === 'open');
    expect(ws.connections).toHaveLength(3);
  });

  it('should start offline when the browser is, and still connect if the network works after all', async () => {
    Object.defineProperty(navigator, 'onLine', { configurable: true, get: () => false });
    open();
    expect(state.status).toBe('offline');
    // navigator.onLine can be wrong (no interface it counts, but a reachable server): the attempt
    // is made anyway, and an open socket is the better evidence.
    await until(() => state.status === 'open');
  });

  it('should stay closed after 4401 when the network comes back: the network was not the reason', async () => {
    open();
    await until(() => state.status === 'open');
    ws.connections[0]!.close(4401, 'sign in again');
    await until(() => state.status === 'closed');
    setOnline(true);
    window.dispatchEvent(new Event('focus'));
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(state.status).toBe('closed');
    expect(ws.connections).toHaveLength(1);
  });

  it('should check an open link at once when the user comes back, and start over if it is dead', async () => {
    const received: string[] = [];
    ws.server.on('connection', (connection) =>
      connection.on('message', (data) => received.push(data.toString())),
    );
    open({
      heartbeat: { message: 'ping', intervalMs: 60_000, probeTimeoutMs: 100 },
      backoff: { baseMs: 20, maxMs: 50 },
    });
    await until(() => state.status === 'open');
    window.dispatchEvent(new Event('focus'));
    await until(() => received.includes('ping'));
    // This server never answers, as a link that died while the laptop slept.
    await until(() => ws.connections.length === 2 && state.status === 'open');
    expect(state.lastClose).toMatchObject({ code: 4000, reason: 'no answer after wake' });
  });

  it('should keep an open link that answers the check', async () => {
    ws.server.on('connection', (connection) => connection.on('message', () => connection.send('pong')));
    open({ heartbeat: { message: 'ping', intervalMs: 60_000, probeTimeoutMs: 100 } });
    await until(() => state.status === 'open');
    window.dispatchEvent(new Event('focus'));
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(ws.connections).toHaveLength(1);
    expect(statuses).toEqual(['connecting', 'open']);
  });

  it('should watch nothing when told not to (network: false)', async () => {
    open({ network: false });
    await until(() => state.status === 'open');
    setOnline(false);
    expect(state.status).toBe('open');
  });
});
