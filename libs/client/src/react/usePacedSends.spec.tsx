import { afterEach, describe, expect, it } from '@jest/globals';
import { renderHook, waitFor } from '@testing-library/react';
import { TokenBucket } from '../index.js';
import type { PendingMessage } from '../index.js';
import { LIMITS as DEFAULT_LIMITS, me } from '../testing/chat-fixtures.js';
import { outsideAct } from '../testing/react.js';
import { testWsServer } from '../testing/ws-server.js';
import { useChat } from './useChat.js';

const LIMITS = { ...DEFAULT_LIMITS, sendRatePerSec: 100, sendBurst: 10, maxUnackedSends: 4 };

/**
 * A scripted server that enforces what it publishes, as the real one does: a token bucket per
 * connection (`rate_limited` past it) and acks a few ms after each send; it records the order of
 * sends and the most that were ever waiting for their ack at once.
 */
function strictServer() {
  const ws = testWsServer({ handleProtocols: () => 'chat.v1' });
  const seen = { sends: [] as string[], refused: 0, unacked: 0, maxUnacked: 0 };
  ws.server.on('connection', (socket) => {
    const bucket = new TokenBucket(LIMITS.sendRatePerSec, LIMITS.sendBurst, Date.now());
    const reply = (event: string, data: unknown) => socket.send(JSON.stringify({ event, data }));
    socket.on('message', (raw) => {
      const { event, data } = JSON.parse(raw.toString()) as { event: string; data: Record<string, unknown> };
      if (event === 'join') reply('joined', { room: data.room, lastSeq: 0, messages: [], hasMore: false });
      if (event !== 'send') return;
      const clientId = data.clientId as string;
      if (!bucket.take(Date.now())) {
        seen.refused++;
        reply('error', {
          code: 'rate_limited',
          message: 'too fast',
          event: 'send',
          clientId,
          room: 'general',
        });
        return;
      }
      seen.sends.push(clientId);
      seen.maxUnacked = Math.max(seen.maxUnacked, ++seen.unacked);
      setTimeout(() => {
        seen.unacked--;
        reply('ack', {
          clientId,
          id: clientId,
          seq: seen.sends.indexOf(clientId) + 1,
          room: 'general',
          time: new Date().toISOString(),
        });
      }, 3);
    });
    reply('welcome', { connectionId: 'c1', user: me, serverTime: new Date().toISOString(), limits: LIMITS });
  });
  return { ...ws, seen };
}

describe('useChat sending through the pacer', () => {
  let ws: ReturnType<typeof strictServer>;
  afterEach(() => ws.close());

  it('should resend a restored outbox of 40 in order, within the published rate, burst and unacked window', async () => {
    outsideAct();
    localStorage.clear();
    const outbox: PendingMessage[] = Array.from({ length: 40 }, (_, i) => ({
      clientId: `o${String(i).padStart(2, '0')}`,
      room: 'general',
      text: `offline ${i}`,
      status: 'sending',
      createdAt: '2026-01-01T00:00:00.000Z',
    }));
    localStorage.setItem(`chat.outbox.${me.id}`, JSON.stringify(outbox));
    ws = strictServer();

    const { result, unmount } = renderHook(() => useChat(me, ws.url));
    await waitFor(() => expect(result.current.outbox).toEqual([]), { timeout: 10_000 });
    expect(ws.seen.refused).toBe(0);
    expect(ws.seen.sends).toEqual(outbox.map((p) => p.clientId));
    expect(ws.seen.maxUnacked).toBeLessThanOrEqual(LIMITS.maxUnackedSends);
    unmount();
  });
});
