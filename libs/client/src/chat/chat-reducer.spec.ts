import { describe, expect, it } from '@jest/globals';
import type { ChatMessage, User } from '@chat/contracts';
import { chatMessage, me, pendingMessage, welcomed } from '../testing/chat-fixtures.js';
import { chatReducer } from './chat-reducer.js';
import { contiguousEnd, gapAfter, initialChatState, mergeMessages } from './chat-state.js';

describe(mergeMessages.name, () => {
  it('should keep seq order and drop ids already present', () => {
    const merged = mergeMessages(
      [chatMessage(1), chatMessage(3)],
      [chatMessage(2), chatMessage(3), chatMessage(4)],
    );
    expect(merged.map((m) => m.seq)).toEqual([1, 2, 3, 4]);
  });

  it('should return the same array when nothing is new (no re-render)', () => {
    const current = [chatMessage(1)];
    expect(mergeMessages(current, [chatMessage(1)])).toBe(current);
  });
});

describe(contiguousEnd.name, () => {
  it('should move the resume point over seqs that follow it directly, and stop at a gap', () => {
    expect(contiguousEnd(1, [2, 3, 5])).toEqual({ lastSeq: 3, pastGap: [5] });
    expect(contiguousEnd(5, [1, 2, 3, 5])).toEqual({ lastSeq: 5, pastGap: [] });
    expect(contiguousEnd(0, [])).toEqual({ lastSeq: 0, pastGap: [] });
  });
});

describe(chatReducer.name, () => {
  it('should keep the resume point before a seq gap until the gap is filled', () => {
    let state = chatReducer(welcomed(), {
      type: 'joined',
      joined: { room: 'general', lastSeq: 2, messages: [chatMessage(1), chatMessage(2)], hasMore: false },
    });
    state = chatReducer(state, { type: 'message', message: chatMessage(5) });
    expect(state.rooms.get('general')?.lastSeq).toBe(2);
    expect(gapAfter(state.rooms.get('general')!)).toBe(2);
    state = chatReducer(state, {
      type: 'joined',
      joined: {
        room: 'general',
        lastSeq: 5,
        messages: [chatMessage(3), chatMessage(4), chatMessage(5)],
        hasMore: false,
      },
    });
    expect(state.rooms.get('general')?.lastSeq).toBe(5);
    expect(state.rooms.get('general')?.messages.map((m) => m.seq)).toEqual([1, 2, 3, 4, 5]);
    expect(gapAfter(state.rooms.get('general')!)).toBeNull();
  });

  it('should replace what it holds when the server says the room was reset', () => {
    let state = chatReducer(welcomed(), {
      type: 'joined',
      joined: { room: 'general', lastSeq: 9, messages: [chatMessage(8), chatMessage(9)], hasMore: true },
    });
    state = chatReducer(state, {
      type: 'joined',
      joined: {
        room: 'general',
        lastSeq: 2,
        messages: [chatMessage(1), chatMessage(2)],
        hasMore: false,
        reset: true,
      },
    });
    expect(state.rooms.get('general')?.messages.map((m) => m.seq)).toEqual([1, 2]);
    expect(state.rooms.get('general')?.lastSeq).toBe(2);
    expect(state.rooms.get('general')?.hasMore).toBe(false);
  });

  it('should track the resume point from joined and from live messages', () => {
    let state = chatReducer(welcomed(), {
      type: 'joined',
      joined: { room: 'general', lastSeq: 2, messages: [chatMessage(1), chatMessage(2)], hasMore: false },
    });
    state = chatReducer(state, { type: 'message', message: chatMessage(3) });
    expect(state.rooms.get('general')?.lastSeq).toBe(3);
    expect(state.rooms.get('general')?.messages.map((m) => m.seq)).toEqual([1, 2, 3]);
  });

  it('should show a message once even when resume and live delivery overlap', () => {
    let state = chatReducer(welcomed(), { type: 'message', message: chatMessage(5) });
    state = chatReducer(state, {
      type: 'joined',
      joined: { room: 'general', lastSeq: 6, messages: [chatMessage(5), chatMessage(6)], hasMore: false },
    });
    expect(state.rooms.get('general')?.messages.map((m) => m.id)).toEqual(['m5', 'm6']);
  });

  it('should hold a message queued twice with one clientId once', () => {
    let state = chatReducer(welcomed(), { type: 'queued', pending: pendingMessage('c1') });
    state = chatReducer(state, { type: 'queued', pending: pendingMessage('c2') });
    state = chatReducer(state, { type: 'queued', pending: pendingMessage('c1') });
    expect(state.outbox.map((p) => p.clientId)).toEqual(['c2', 'c1']);
  });

  it('should drop a pending message when its ack arrives', () => {
    let state = chatReducer(welcomed(), { type: 'queued', pending: pendingMessage('c1') });
    state = chatReducer(state, { type: 'acked', clientId: 'c1' });
    expect(state.outbox).toEqual([]);
  });

  it('should drop a pending message when its stored copy arrives, even without the ack', () => {
    let state = chatReducer(welcomed(), { type: 'queued', pending: pendingMessage('c1') });
    state = chatReducer(state, { type: 'message', message: chatMessage(1, { clientId: 'c1', user: me }) });
    expect(state.outbox).toEqual([]);
  });

  it('should not confuse another user’s clientId with ours', () => {
    let state = chatReducer(welcomed(), { type: 'queued', pending: pendingMessage('c1') });
    state = chatReducer(state, { type: 'message', message: chatMessage(1, { clientId: 'c1' }) });
    expect(state.outbox).toHaveLength(1);
  });

  it('should mark a pending message failed on a permanent error, and keep it on a transient one', () => {
    let state = chatReducer(welcomed(), { type: 'queued', pending: pendingMessage('c1') });
    state = chatReducer(state, {
      type: 'error',
      error: { code: 'unavailable', message: 'db down', clientId: 'c1' },
    });
    expect(state.outbox[0]?.status).toBe('sending');
    state = chatReducer(state, {
      type: 'error',
      error: { code: 'too_large', message: 'too long', clientId: 'c1' },
    });
    expect(state.outbox[0]).toMatchObject({ status: 'failed', error: 'too long' });
    state = chatReducer(state, { type: 'retry', clientId: 'c1' });
    expect(state.outbox[0]).toMatchObject({ status: 'sending', error: undefined });
  });

  it('should show errors not tied to a message as a notice', () => {
    const state = chatReducer(welcomed(), { type: 'error', error: { code: 'bad_request', message: 'nope' } });
    expect(state.notice).toBe('nope');
    expect(chatReducer(state, { type: 'dismissNotice' }).notice).toBeNull();
  });

  it('should mark where a room’s history ends at its first join, and keep that mark on resumes', () => {
    const joined = (messages: ChatMessage[], lastSeq: number) =>
      ({ type: 'joined', joined: { room: 'general', messages, hasMore: false, lastSeq } }) as const;
    let state = welcomed();
    expect(state.rooms.get('general')?.historyUntil ?? null).toBeNull();
    state = chatReducer(state, joined([chatMessage(1), chatMessage(2)], 2));
    expect(state.rooms.get('general')?.historyUntil).toBe(2);
    state = chatReducer(state, { type: 'message', message: chatMessage(3) });
    state = chatReducer(state, joined([chatMessage(4)], 4));
    expect(state.rooms.get('general')?.historyUntil).toBe(2);
    state = chatReducer(state, { type: 'close', room: 'general' });
    expect(chatReducer(state, joined([chatMessage(4)], 4)).rooms.get('general')?.historyUntil).toBe(4);
  });

  it('should keep presence as a set, applying diffs', () => {
    const alice: User = { id: 'a', name: 'Alice', guest: false };
    const bob: User = { id: 'b', name: 'Bob', guest: true };
    let state = chatReducer(welcomed(), { type: 'presence', presence: { room: 'general', users: [alice] } });
    state = chatReducer(state, {
      type: 'presenceDiff',
      diff: { room: 'general', joined: [bob, alice], left: [] },
    });
    expect(
      state.rooms
        .get('general')
        ?.presence.map((u) => u.id)
        .sort(),
    ).toEqual(['a', 'b']);
    state = chatReducer(state, {
      type: 'presenceDiff',
      diff: { room: 'general', joined: [], left: [alice] },
    });
    expect(state.rooms.get('general')?.presence).toEqual([bob]);
  });

  it('should put a presence list sent in parts together, and start over with the next list', () => {
    const ann: User = { id: 'a', name: 'ann', guest: false };
    const bob: User = { id: 'b', name: 'bob', guest: false };
    const cid: User = { id: 'c', name: 'cid', guest: false };
    let state = chatReducer(welcomed(), {
      type: 'presence',
      presence: { room: 'general', users: [ann], more: true },
    });
    state = chatReducer(state, { type: 'presence', presence: { room: 'general', users: [bob] } });
    expect(state.rooms.get('general')?.presence).toEqual([ann, bob]);

    state = chatReducer(state, { type: 'presence', presence: { room: 'general', users: [cid] } });
    expect(state.rooms.get('general')?.presence).toEqual([cid]);
  });

  it('should hold a big room as a count, page its online list on demand, and go back to a list', () => {
    const alice: User = { id: 'a', name: 'Alice', guest: false };
    const bob: User = { id: 'b', name: 'Bob', guest: true };
    let state = chatReducer(welcomed(), { type: 'presence', presence: { room: 'general', users: [alice] } });
    state = chatReducer(state, { type: 'presenceCount', count: { room: 'general', online: 1234 } });
    expect(state.rooms.get('general')).toMatchObject({ online: 1234, presence: [] });

    state = chatReducer(state, { type: 'presenceListing', room: 'general', q: '', more: false });
    state = chatReducer(state, {
      type: 'presencePage',
      page: { room: 'general', users: [alice], online: 1234, next: 'c1' },
    });
    state = chatReducer(state, { type: 'presenceListing', room: 'general', q: '', more: true });
    state = chatReducer(state, {
      type: 'presencePage',
      page: { room: 'general', users: [bob], online: 1234 },
    });
    expect(state.rooms.get('general')?.onlinePage).toEqual({
      q: '',
      users: [alice, bob],
      next: undefined,
      loading: false,
    });

    // A new search replaces the list; an answer to the old one is dropped.
    state = chatReducer(state, { type: 'presenceListing', room: 'general', q: 'bo', more: false });
    state = chatReducer(state, {
      type: 'presencePage',
      page: { room: 'general', users: [alice], online: 1234 },
    });
    state = chatReducer(state, {
      type: 'presencePage',
      page: { room: 'general', users: [bob], online: 1234, q: 'bo' },
    });
    expect(state.rooms.get('general')?.onlinePage?.users).toEqual([bob]);

    state = chatReducer(state, { type: 'presence', presence: { room: 'general', users: [alice, bob] } });
    expect(state.rooms.get('general')).toMatchObject({ online: null, presence: [alice, bob] });
  });

  it('should show typing for 5 s, or until that user’s message arrives', () => {
    const alice: User = { id: 'a', name: 'Alice', guest: false };
    let state = chatReducer(welcomed(), {
      type: 'typing',
      notice: { room: 'general', user: alice },
      now: 1000,
    });
    expect(chatReducer(state, { type: 'expireTyping', now: 5999 }).rooms.get('general')?.typing).toHaveLength(
      1,
    );
    expect(chatReducer(state, { type: 'expireTyping', now: 6000 }).rooms.get('general')?.typing).toHaveLength(
      0,
    );
    state = chatReducer(state, { type: 'message', message: chatMessage(1, { user: alice }) });
    expect(state.rooms.get('general')?.typing).toHaveLength(0);
  });

  it('should take a room off the list when joining it is refused, and say why', () => {
    let state = chatReducer(welcomed(), { type: 'open', room: 'secret' });
    expect(state.joined).toEqual(['general', 'secret']);
    state = chatReducer(state, {
      type: 'error',
      error: { code: 'forbidden', message: 'guests cannot create rooms', event: 'join', room: 'secret' },
    });
    expect(state.joined).toEqual(['general']);
    expect(state.active).toBe('general');
    expect(state.notice).toBe('guests cannot create rooms');
  });

  it('should keep a room whose join the read quota refused (it is joined again later)', () => {
    let state = chatReducer(welcomed(), { type: 'open', room: 'random' });
    state = chatReducer(state, {
      type: 'error',
      error: {
        code: 'rate_limited',
        message: 'too many reads',
        event: 'join',
        room: 'random',
        retryAfterMs: 500,
      },
    });
    expect(state.joined).toEqual(['general', 'random']);
    expect(state.notice).toBe('too many reads');
  });
});

describe('server notices (slash commands)', () => {
  it('should settle the pending message a notice answers, and show its text until dismissed', () => {
    const base = chatReducer(initialChatState(['general'], 'general', []), {
      type: 'queued',
      pending: {
        clientId: 'c1',
        room: 'general',
        text: '/help',
        status: 'sending',
        createdAt: '2026-01-01T00:00:00.000Z',
      },
    });
    const answered = chatReducer(base, {
      type: 'serverNotice',
      notice: { room: 'general', text: 'Commands: …', clientId: 'c1' },
    });
    expect(answered.outbox).toEqual([]);
    expect(answered.info).toBe('Commands: …');
    expect(chatReducer(answered, { type: 'dismissInfo' }).info).toBeNull();
  });

  it('should settle a swallowed message without replacing what is shown', () => {
    const shown = { ...initialChatState(['general'], 'general', []), info: 'earlier' };
    const next = chatReducer(shown, {
      type: 'serverNotice',
      notice: { room: 'general', text: '', clientId: 'x' },
    });
    expect(next.info).toBe('earlier');
  });
});
