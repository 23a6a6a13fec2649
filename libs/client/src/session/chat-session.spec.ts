/**
 * @jest-environment node
 */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import type { ChatMessage, User } from '@chat/contracts';
import { WebSocket } from 'ws';
import type { PendingMessage } from '../chat/chat-state.js';
import { timeline } from '../chat/timeline.js';
import { browserSignals, NO_SIGNALS, type NetworkSignals } from '../socket/network-signals.js';
import { chatMessage, me as guest } from '../testing/chat-fixtures.js';
import { until } from '../testing/until.js';
import { scriptedChatServer } from '../testing/ws-server.js';
import { ChatSession } from './chat-session.js';

const me: User = { ...guest, guest: false };
const other: User = { id: 'u-other', name: 'Other', guest: false };
const message = (seq: number, extra: Partial<ChatMessage> = {}) =>
  chatMessage(seq, { user: other, ...extra });

/** Network signals a test switches by hand. */
function manualNetwork() {
  let handlers: Parameters<NetworkSignals['watch']>[0] | undefined;
  let online = true;
  const signals: NetworkSignals = {
    isOnline: () => online,
    watch: (next) => {
      handlers = next;
      return () => (handlers = undefined);
    },
  };
  return {
    signals,
    set(next: boolean) {
      online = next;
      if (next) handlers?.onOnline();
      else handlers?.onOffline();
    },
  };
}

describe(ChatSession.name, () => {
  let ws: ReturnType<typeof scriptedChatServer>;
  let sut: ChatSession | undefined;

  beforeEach(() => {
    ws = scriptedChatServer({ user: me });
  });
  afterEach(async () => {
    sut?.stop();
    await ws.close();
  });

  it('should run in Node with ws, where there is no window to watch', async () => {
    expect(browserSignals()).toBe(NO_SIGNALS);
    sut = new ChatSession({ url: ws.url, storage: null, socket: { WebSocketImpl: WebSocket } });
    sut.start();
    await until(() => ws.sent('join').length === 1);
    expect(ws.sent('join')).toEqual([{ room: 'general' }]);
    expect(sut.getSnapshot().connection.status).toBe('open');
    expect(sut.getSnapshot().chat.me).toEqual(me);
  });

  it('should keep a message written offline in its place until acknowledged, then show it once at its seq', async () => {
    const network = manualNetwork();
    sut = new ChatSession({
      url: ws.url,
      storage: null,
      socket: {
        WebSocketImpl: WebSocket,
        network: network.signals,
        backoff: { baseMs: 60_000, maxMs: 60_000 },
      },
    });
    const delivered: PendingMessage[] = [];
    sut.onDelivered((pending) => delivered.push(pending));
    sut.start();
    await until(() => ws.sent('join').length === 1);
    ws.send('joined', { room: 'general', lastSeq: 2, messages: [message(1), message(2)], hasMore: false });
    await until(() => sut!.getSnapshot().chat.rooms.get('general')?.lastSeq === 2);

    network.set(false);
    expect(sut.getSnapshot().connection.status).toBe('offline');
    const clientId = sut.send('written offline');
    expect(sut.pendingCount).toBe(1);

    network.set(true);
    // Others wrote meanwhile: the resume brings their messages, which go after ours on screen.
    await until(() => ws.sent('join').length === 2);
    expect(ws.sent('join')[1]).toEqual({ room: 'general', since: 2 });
    ws.send('joined', { room: 'general', lastSeq: 4, messages: [message(3), message(4)], hasMore: false });
    await until(() => ws.sent('send').length === 1);
    const view = () => {
      const { chat } = sut!.getSnapshot();
      return timeline(chat.rooms.get('general')!.messages, chat.outbox).map((e) =>
        e.kind === 'message' ? e.message.text : `(sending) ${e.pending.text}`,
      );
    };
    expect(view()).toEqual(['t1', 't2', '(sending) written offline', 't3', 't4']);
    expect(ws.sent('send')[0]).toMatchObject({ room: 'general', text: 'written offline', clientId });

    ws.send('ack', { clientId, id: 'm5', seq: 5, room: 'general', time: '2026-01-01T00:01:00.000Z' });
    ws.send('message', message(5, { user: me, text: 'written offline', clientId }));
    await until(() => sut!.getSnapshot().chat.rooms.get('general')?.lastSeq === 5);
    expect(view()).toEqual(['t1', 't2', 't3', 't4', 'written offline']);
    expect(sut.pendingCount).toBe(0);
    expect(delivered.map((p) => p.clientId)).toEqual([clientId]);
  });

  it('should count a message delivered once when its ack was lost and its stored copy came in the resume', async () => {
    const network = manualNetwork();
    sut = new ChatSession({
      url: ws.url,
      storage: null,
      socket: {
        WebSocketImpl: WebSocket,
        network: network.signals,
        backoff: { baseMs: 60_000, maxMs: 60_000 },
      },
    });
    const delivered: string[] = [];
    sut.onDelivered((pending) => delivered.push(pending.clientId));
    sut.start();
    await until(() => ws.sent('join').length === 1);
    ws.send('joined', { room: 'general', lastSeq: 0, messages: [], hasMore: false });
    await until(() => sut!.getSnapshot().chat.rooms.has('general'));
    const clientId = sut.send('stored, ack lost');
    await until(() => ws.sent('send').length === 1);

    network.set(false);
    network.set(true);
    await until(() => ws.sent('join').length === 2);
    ws.send('joined', {
      room: 'general',
      lastSeq: 1,
      messages: [message(1, { user: me, text: 'stored, ack lost', clientId })],
      hasMore: false,
    });
    await until(() => sut!.pendingCount === 0);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(ws.sent('send')).toHaveLength(1); // not sent again: the server has it
    expect(delivered).toEqual([clientId]);
  });

  it('should keep its state across stop and start, and resume from where it was', async () => {
    sut = new ChatSession({
      url: ws.url,
      storage: null,
      socket: { WebSocketImpl: WebSocket, network: false },
    });
    sut.start();
    await until(() => ws.sent('join').length === 1);
    ws.send('joined', { room: 'general', lastSeq: 7, messages: [message(7)], hasMore: true });
    await until(() => sut!.getSnapshot().chat.rooms.get('general')?.lastSeq === 7);
    sut.stop();
    expect(sut.getSnapshot().connection.status).toBe('closed');
    sut.start();
    await until(() => ws.sent('join').length === 2);
    expect(ws.sent('join')[1]).toEqual({ room: 'general', since: 7 });
  });
});
