import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { act, renderHook, waitFor } from '@testing-library/react';
import { outsideAct } from '../testing/react.js';
import { testWsServer } from '../testing/ws-server.js';
import { useWebSocket, type UseWebSocketOptions } from './useWebSocket.js';

const FAST_BACKOFF = { baseMs: 20, maxMs: 50 };

/** A real WebSocket server that takes the first subprotocol offered and records every frame. */
function startServer() {
  const ws = testWsServer({ handleProtocols: (offered) => offered.values().next().value ?? false });
  const received: string[] = [];
  ws.server.on('connection', (socket) => socket.on('message', (data) => received.push(data.toString())));
  return { ...ws, received };
}

describe(useWebSocket.name, () => {
  let ws: ReturnType<typeof startServer>;

  beforeEach(() => {
    outsideAct();
    ws = startServer();
  });
  afterEach(() => ws.close());

  /** Every status the hook reported, in order, so that short-lived states are not missed. */
  let statuses: string[];
  const render = (url: string | null, options: UseWebSocketOptions = {}) => {
    statuses = [];
    return renderHook(
      ({ target }) => {
        const result = useWebSocket(target, { backoff: FAST_BACKOFF, ...options });
        if (statuses.at(-1) !== result.status) statuses.push(result.status);
        return result;
      },
      { initialProps: { target: url } },
    );
  };

  it('should connect with the given subprotocols, report open, and send and receive text', async () => {
    const { result, unmount } = render(ws.url, { protocols: ['chat.v1'] });
    expect(result.current.status).toBe('connecting');
    await waitFor(() => expect(result.current.status).toBe('open'));
    expect(ws.connections[0]?.protocol).toBe('chat.v1');

    const received: string[] = [];
    act(() => {
      result.current.subscribe((data) => received.push(data));
    });
    ws.connections[0]!.send('hello from server');
    await waitFor(() => expect(received).toEqual(['hello from server']));

    act(() => {
      expect(result.current.send('hello from client')).toBe(true);
    });
    await waitFor(() => expect(ws.received).toEqual(['hello from client']));
    unmount();
  });

  it('should refuse to send while not open, instead of throwing', () => {
    const { result, unmount } = render(null);
    expect(result.current.status).toBe('closed');
    expect(result.current.send('x')).toBe(false);
    unmount();
  });

  it('should reconnect by itself after the server drops the connection, keeping subscriptions', async () => {
    const { result, unmount } = render(ws.url);
    await waitFor(() => expect(result.current.status).toBe('open'));
    const received: string[] = [];
    act(() => {
      result.current.subscribe((data) => received.push(data));
    });

    ws.connections[0]!.close(1012, 'restarting');
    await waitFor(() => expect(ws.connections).toHaveLength(2));
    await waitFor(() => expect(result.current.status).toBe('open'));
    expect(statuses).toEqual(['connecting', 'open', 'reconnecting', 'open']);
    expect(result.current.lastClose).toMatchObject({ code: 1012, final: false });

    ws.connections[1]!.send('after reconnect');
    await waitFor(() => expect(received).toEqual(['after reconnect']));
    unmount();
  });

  it.each([4401, 4403])('should give up, and say so, after close code %i', async (code) => {
    const { result, unmount } = render(ws.url);
    await waitFor(() => expect(result.current.status).toBe('open'));
    ws.connections[0]!.close(code, 'no');
    await waitFor(() => expect(result.current.status).toBe('closed'));
    expect(result.current.lastClose).toMatchObject({ code, final: true });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(ws.connections).toHaveLength(1);
    unmount();
  });

  it('should reconnect when the server goes silent past the heartbeat timeout', async () => {
    const { result, unmount } = render(ws.url, {
      heartbeat: { message: 'ping', intervalMs: 40, timeoutMs: 100 },
    });
    await waitFor(() => expect(result.current.status).toBe('open'));
    // The server never answers the pings: the client must notice and start over.
    await waitFor(() => expect(ws.connections.length).toBeGreaterThanOrEqual(2));
    expect(ws.received).toContain('ping');
    unmount();
  });

  it('should stay connected while the server answers the heartbeat', async () => {
    // Pings are counted, not waited for by the clock: 25 of them, at least 40 ms apart, span
    // twice the timeout, so a client that ignored the answers would have dropped this socket.
    // The timeout leaves room for a late answer on a busy machine.
    const { intervalMs, timeoutMs } = { intervalMs: 40, timeoutMs: 480 };
    const pingsOnFirst: string[] = [];
    ws.server.on('connection', (socket) =>
      socket.on('message', (data) => {
        if (socket === ws.connections[0]) pingsOnFirst.push(data.toString());
        socket.send('pong');
      }),
    );
    const { result, unmount } = render(ws.url, { heartbeat: { message: 'ping', intervalMs, timeoutMs } });
    await waitFor(() => expect(result.current.status).toBe('open'));
    await waitFor(() => expect(pingsOnFirst.length).toBeGreaterThanOrEqual((2 * timeoutMs) / intervalMs + 1));
    expect(ws.connections).toHaveLength(1);
    expect(result.current.status).toBe('open');
    unmount();
  });

  it('should close the socket on unmount and on a url change', async () => {
    const { result, rerender, unmount } = render(ws.url);
    await waitFor(() => expect(result.current.status).toBe('open'));
    const first = ws.connections[0]!;
    const firstClosed = new Promise((resolve) => first.once('close', resolve));

    rerender({ target: `${ws.url}?name=other` });
    await firstClosed;
    await waitFor(() => expect(ws.connections).toHaveLength(2));
    await waitFor(() => expect(result.current.status).toBe('open'));

    const second = ws.connections[1]!;
    const secondClosed = new Promise((resolve) => second.once('close', resolve));
    unmount();
    await secondClosed;
  });

  it('should retry at once on reconnect()', async () => {
    const { result, unmount } = render(ws.url, { backoff: { baseMs: 60_000, maxMs: 60_000 } });
    await waitFor(() => expect(result.current.status).toBe('open'));
    ws.connections[0]!.close(1012);
    await waitFor(() => expect(result.current.status).toBe('reconnecting'));
    expect(result.current.nextRetryAt).not.toBeNull();
    act(() => result.current.reconnect());
    await waitFor(() => expect(result.current.status).toBe('open'));
    expect(ws.connections).toHaveLength(2);
    unmount();
  });
});
