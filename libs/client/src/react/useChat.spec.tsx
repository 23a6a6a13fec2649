import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { renderHook, waitFor } from '@testing-library/react';
import { StrictMode } from 'react';
import type { RoomInfo, User } from '@chat/contracts';
import { chatMessage as message, me, roomInfo } from '../testing/chat-fixtures.js';
import { outsideAct } from '../testing/react.js';
import { scriptedChatServer } from '../testing/ws-server.js';
import { useChat } from './useChat.js';

const info = (name: string, extra: Partial<RoomInfo> = {}) =>
  roomInfo(name, { lastSeq: 2, unread: 2, ...extra });
const range = (from: number, to: number) =>
  Array.from({ length: to - from + 1 }, (_, i) => message(from + i));

describe(useChat.name, () => {
  let ws: ReturnType<typeof scriptedChatServer>;

  beforeEach(() => {
    outsideAct();
    localStorage.clear();
    ws = scriptedChatServer({ user: me });
  });
  afterEach(() => ws.close());

  it('should ask for the missing range when a seq jumps, and keep the resume point before the gap', async () => {
    const { result, unmount } = renderHook(() => useChat(me, ws.url));
    await waitFor(() => expect(ws.joins()).toEqual([{ room: 'general' }]));
    ws.send('joined', { room: 'general', lastSeq: 2, messages: range(1, 2), hasMore: false });
    ws.send('message', message(3));
    ws.send('message', message(6)); // 4 and 5 were lost on the way
    await waitFor(() => expect(ws.joins()).toEqual([{ room: 'general' }, { room: 'general', since: 3 }]));
    expect(result.current.rooms.get('general')?.lastSeq).toBe(3);

    ws.send('joined', { room: 'general', lastSeq: 6, messages: range(4, 6), hasMore: false });
    await waitFor(() => expect(result.current.rooms.get('general')?.lastSeq).toBe(6));
    expect(result.current.rooms.get('general')?.messages.map((m) => m.seq)).toEqual([1, 2, 3, 4, 5, 6]);
    ws.send('message', message(7));
    await waitFor(() => expect(result.current.rooms.get('general')?.lastSeq).toBe(7));
    expect(ws.joins()).toHaveLength(2);
    unmount();
  });
  it('should keep a room whose join the read quota refused, and join it again after retryAfterMs', async () => {
    const { result, unmount } = renderHook(() => useChat(me, ws.url));
    await waitFor(() => expect(ws.joins()).toEqual([{ room: 'general' }]));
    ws.send('error', {
      code: 'rate_limited',
      message: 'too many reads',
      event: 'join',
      room: 'general',
      retryAfterMs: 20,
    });
    await waitFor(() => expect(ws.joins()).toEqual([{ room: 'general' }, { room: 'general' }]));
    expect(result.current.joined).toEqual(['general']);
    ws.send('joined', { room: 'general', lastSeq: 2, messages: range(1, 2), hasMore: false });
    await waitFor(() => expect(result.current.rooms.get('general')?.lastSeq).toBe(2));
    expect(ws.joins()).toHaveLength(2);
    unmount();
  });

  it('should join general on welcome and the rest of the user’s rooms from `rooms`, and drop a removed one', async () => {
    localStorage.setItem('chat.rooms.u-me', JSON.stringify(['general', 'left-on-phone']));
    // An account: its rooms are the server's (a guest's stay in the browser: user-channel.spec.ts).
    const account: User = { ...me, guest: false };
    ws.welcomed.user = account;
    const { result, unmount } = renderHook(() => useChat(account, ws.url));
    await waitFor(() => expect(ws.joins()).toEqual([{ room: 'general' }]));
    ws.send('rooms', { rooms: [info('general'), info('design')] });
    await waitFor(() => expect(ws.joins()).toEqual([{ room: 'general' }, { room: 'design' }]));
    expect(result.current.joined).toEqual(['general', 'design']);
    ws.send('room.added', { room: info('plans', { kind: 'private' }) });
    await waitFor(() => expect(ws.joins()).toHaveLength(3));
    ws.send('room.removed', { room: 'design', reason: 'kicked' });
    await waitFor(() => expect(result.current.joined).toEqual(['general', 'plans']));
    expect(result.current.notice).toBe('You were removed from #design by a moderator.');
    unmount();
  });

  it('should send the read marker at once, then the newest of a burst once a second', async () => {
    const { result, unmount } = renderHook(() => useChat(me, ws.url));
    await waitFor(() => expect(ws.joins()).toHaveLength(1));
    ws.send('rooms', { rooms: [info('general')] });
    ws.send('joined', { room: 'general', lastSeq: 2, messages: range(1, 2), hasMore: false });
    await waitFor(() => expect(result.current.rooms.get('general')?.lastSeq).toBe(2));
    result.current.markRead('general', 1);
    result.current.markRead('general', 2);
    await waitFor(() => expect(ws.sent('read')).toEqual([{ room: 'general', seq: 1 }]));
    expect(result.current.rooms.get('general')?.info).toMatchObject({ readSeq: 2, unread: 0 });
    await waitFor(
      () =>
        expect(ws.sent('read')).toEqual([
          { room: 'general', seq: 1 },
          { room: 'general', seq: 2 },
        ]),
      {
        timeout: 3000,
      },
    );
    unmount();
  });

  it('should page a thread with `history {threadId}` and know its answer for the thread', async () => {
    const { result, unmount } = renderHook(() => useChat(me, ws.url));
    await waitFor(() => expect(ws.joins()).toHaveLength(1));
    ws.send('joined', { room: 'general', lastSeq: 2, messages: range(1, 2), hasMore: false });
    await waitFor(() => expect(result.current.rooms.get('general')?.lastSeq).toBe(2));
    result.current.openThread('general', 'm1');
    await waitFor(() => expect(ws.sent('history')).toEqual([{ room: 'general', threadId: 'm1', limit: 50 }]));
    const reply = { ...message(3), threadId: 'm1', thread: { replyCount: 1, lastReplyAt: null } };
    ws.send('history', { room: 'general', messages: [reply], hasMore: false });
    await waitFor(() => expect(result.current.thread).toMatchObject({ root: 'm1', loading: false }));
    expect(result.current.rooms.get('general')?.messages.find((m) => m.id === 'm1')?.thread?.replyCount).toBe(
      1,
    );
    unmount();
  });

  it('should say offline as soon as the browser does, hold what is written, and send it once back online', async () => {
    const setOnline = (online: boolean) => {
      Object.defineProperty(navigator, 'onLine', { configurable: true, get: () => online });
      window.dispatchEvent(new Event(online ? 'online' : 'offline'));
    };
    const { result, unmount } = renderHook(() => useChat(me, ws.url));
    await waitFor(() => expect(ws.joins()).toHaveLength(1));
    ws.send('joined', { room: 'general', lastSeq: 2, messages: range(1, 2), hasMore: false });
    await waitFor(() => expect(result.current.connection.status).toBe('open'));
    await waitFor(() => expect(result.current.rooms.get('general')?.lastSeq).toBe(2));

    setOnline(false);
    await waitFor(() => expect(result.current.connection.status).toBe('offline'));
    const clientId = result.current.send('typed offline');
    await waitFor(() => expect(result.current.pending).toBe(1));
    expect(result.current.outbox[0]).toMatchObject({ clientId, status: 'sending', afterSeq: 2 });

    setOnline(true);
    await waitFor(() => expect(ws.joins()).toEqual([{ room: 'general' }, { room: 'general', since: 2 }]));
    ws.send('joined', { room: 'general', lastSeq: 3, messages: [message(3)], hasMore: false });
    await waitFor(() =>
      expect(ws.sent('send')).toEqual([{ room: 'general', text: 'typed offline', clientId }]),
    );
    ws.send('ack', { clientId, id: 'm4', seq: 4, room: 'general', time: '2026-01-01T00:01:00.000Z' });
    await waitFor(() => expect(result.current.pending).toBe(0));
    expect(result.current.connection.status).toBe('open');
    unmount();
  });

  it('should keep one live connection under StrictMode (started, stopped and started again)', async () => {
    const { result, unmount } = renderHook(() => useChat(me, ws.url), { wrapper: StrictMode });
    await waitFor(() => expect(result.current.connection.status).toBe('open'));
    await waitFor(() =>
      expect([...ws.server.clients].filter((c) => c.readyState === c.OPEN)).toHaveLength(1),
    );
    ws.send('joined', { room: 'general', lastSeq: 1, messages: range(1, 1), hasMore: false });
    await waitFor(() => expect(result.current.rooms.get('general')?.messages).toHaveLength(1));
    unmount();
    await waitFor(() =>
      expect([...ws.server.clients].filter((c) => c.readyState === c.OPEN)).toHaveLength(0),
    );
  });
});
