import { describe, expect, it } from '@jest/globals';
import type { ChatMessage, Joined, RoomChange, RoomInfo, User } from '@chat/contracts';
import { applyAll, chatMessage, T0, welcomed } from '../testing/chat-fixtures.js';
import type { ChatAction } from './chat-reducer.js';
import { gapAfter, type ChatState } from './chat-state.js';

const me: User = { id: 'u-me', name: 'me', guest: false };
const ann: User = { id: 'u-ann', name: 'ann', guest: false };
const message = (seq: number, extra: Partial<ChatMessage> = {}) => chatMessage(seq, { user: ann, ...extra });
const edited = (seq: number, id: string, text: string): RoomChange => ({
  event: 'message.edited',
  data: { room: 'general', seq, id, text, editedAt: T0, user: ann },
});
const deleted = (seq: number, id: string): RoomChange => ({
  event: 'message.deleted',
  data: { room: 'general', seq, id, by: ann },
});
const reaction = (seq: number, id: string, user: User, on: boolean, count: number): RoomChange => ({
  event: 'reaction',
  data: { room: 'general', seq, id, emoji: '👍', user, on, count },
});
const joined = (lastSeq: number, messages: ChatMessage[], changes?: RoomChange[]): ChatAction => ({
  type: 'joined',
  joined: {
    room: 'general',
    lastSeq,
    messages,
    hasMore: false,
    ...(changes ? { changes } : {}),
  } satisfies Joined,
});
const start = (): ChatState => applyAll(welcomed({ user: me }), joined(2, [message(1), message(2)]));
const room = (state: ChatState) => state.rooms.get('general')!;
const byId = (state: ChatState, id: string) => room(state).messages.find((m) => m.id === id);

describe('the room log in the client', () => {
  it('should apply an edit: whole text and editedAt, and the quote of a reply to it', () => {
    let state = applyAll(start(), {
      type: 'message',
      message: message(3, { replyTo: { id: 'm1', user: ann, text: 't1' } }),
    });
    state = applyAll(state, { type: 'change', change: edited(4, 'm1', 'fixed') });
    expect(byId(state, 'm1')).toMatchObject({ text: 'fixed', editedAt: T0 });
    expect(byId(state, 'm3')?.replyTo?.text).toBe('fixed');
    expect(room(state).lastSeq).toBe(4);
  });

  it('should make a delete a tombstone without reactions, that a later edit does not revive', () => {
    let state = applyAll(start(), { type: 'change', change: reaction(3, 'm1', ann, true, 1) });
    state = applyAll(
      state,
      { type: 'change', change: deleted(4, 'm1') },
      { type: 'change', change: edited(5, 'm1', 'back?') },
    );
    expect(byId(state, 'm1')).toMatchObject({ text: '', deleted: true });
    expect(byId(state, 'm1')?.reactions).toBeUndefined();
    expect(room(state).lastSeq).toBe(5);
  });

  it('should take reaction counts as they come, set `me` for my own, and drop a chip at 0', () => {
    let state = applyAll(start(), { type: 'change', change: reaction(3, 'm1', ann, true, 1) });
    expect(byId(state, 'm1')?.reactions).toEqual([{ emoji: '👍', count: 1, me: false }]);
    state = applyAll(state, { type: 'change', change: reaction(4, 'm1', me, true, 2) });
    expect(byId(state, 'm1')?.reactions).toEqual([{ emoji: '👍', count: 2, me: true }]);
    state = applyAll(state, { type: 'change', change: reaction(5, 'm1', ann, false, 1) });
    expect(byId(state, 'm1')?.reactions).toEqual([{ emoji: '👍', count: 1, me: true }]);
    state = applyAll(state, { type: 'change', change: reaction(6, 'm1', me, false, 0) });
    expect(byId(state, 'm1')?.reactions).toBeUndefined();
  });

  it('should keep reactions in the order pages give them: by code points of the emoji', () => {
    const on = (seq: number, emoji: string): RoomChange => ({
      event: 'reaction',
      data: { room: 'general', seq, id: 'm1', emoji, user: ann, on: true, count: 1 },
    });
    const state = applyAll(
      start(),
      { type: 'change', change: on(3, '👍') },
      { type: 'change', change: on(4, '🎉') },
      { type: 'change', change: on(5, '\u{E000}') },
      { type: 'change', change: on(6, '✅') },
    );
    expect(byId(state, 'm1')?.reactions?.map((r) => r.emoji)).toEqual(['✅', '\u{E000}', '🎉', '👍']);
  });

  it('should apply each event once: a repeat, or one at or below the resume point, changes nothing', () => {
    let state = applyAll(start(), { type: 'change', change: reaction(3, 'm1', ann, true, 1) });
    const before = state;
    state = applyAll(state, { type: 'change', change: reaction(3, 'm1', ann, true, 1) });
    state = applyAll(state, { type: 'change', change: edited(2, 'm1', 'stale') });
    expect(state).toBe(before);
  });

  it('should count every event’s seq for the resume point, and hold it before a gap of any kind', () => {
    let state = applyAll(
      start(),
      { type: 'change', change: edited(3, 'm1', 'a') },
      { type: 'message', message: message(5) },
    );
    expect(room(state).lastSeq).toBe(3);
    expect(gapAfter(room(state))).toBe(3);
    state = applyAll(state, { type: 'change', change: deleted(4, 'm2') });
    expect(room(state).lastSeq).toBe(5);
    expect(gapAfter(room(state))).toBeNull();
  });

  it('should replay `joined.changes` in order, skip those already applied live, and end at lastSeq', () => {
    let state = applyAll(start(), { type: 'change', change: edited(4, 'm1', 'second') }); // 3 was lost
    state = applyAll(
      state,
      joined(
        6,
        [message(6)],
        [edited(3, 'm1', 'first'), edited(4, 'm1', 'second'), reaction(5, 'm2', me, true, 1)],
      ),
    );
    expect(byId(state, 'm1')?.text).toBe('second');
    expect(byId(state, 'm2')?.reactions).toEqual([{ emoji: '👍', count: 1, me: true }]);
    expect(room(state).messages.map((m) => m.seq)).toEqual([1, 2, 6]);
    expect(room(state)).toMatchObject({ lastSeq: 6, pastGap: [] });
  });

  it('should let a page replace the copies it holds (latest state), and keep the rest', () => {
    const state = applyAll(start(), {
      type: 'history',
      page: { room: 'general', messages: [message(1, { text: 'new', editedAt: T0 })], hasMore: false },
    });
    expect(byId(state, 'm1')?.text).toBe('new');
    expect(byId(state, 'm2')?.text).toBe('t2');
  });

  it('should bring a thread root’s summary up from its replies (the larger count wins)', () => {
    const reply = (seq: number, count: number) =>
      message(seq, { threadId: 'm1', thread: { replyCount: count, lastReplyAt: T0 } });
    let state = applyAll(
      start(),
      { type: 'message', message: reply(3, 1) },
      { type: 'message', message: reply(4, 2) },
    );
    expect(byId(state, 'm1')?.thread?.replyCount).toBe(2);
    state = applyAll(state, joined(5, [reply(5, 3)]), {
      type: 'history',
      page: { room: 'general', messages: [reply(3, 1)], hasMore: false },
      threadId: 'm1',
    });
    expect(byId(state, 'm1')?.thread?.replyCount).toBe(3);
  });

  it('should keep the member list and my own role current from `member` events', () => {
    const info: RoomInfo = {
      name: 'general',
      kind: 'public',
      role: 'member',
      memberCount: 1,
      lastSeq: 2,
      readSeq: 2,
      unread: 0,
      mentions: 0,
      lastActivity: null,
    };
    let state = applyAll(
      start(),
      { type: 'roomAdded', room: info },
      { type: 'members', room: 'general', members: [{ user: me, role: 'member', muted: false }] },
    );
    state = applyAll(
      state,
      {
        type: 'change',
        change: {
          event: 'member',
          data: { room: 'general', seq: 3, user: ann, role: 'member', reason: 'joined' },
        },
      },
      {
        type: 'change',
        change: {
          event: 'member',
          data: { room: 'general', seq: 4, user: me, role: 'moderator', reason: 'role', by: ann },
        },
      },
    );
    expect(room(state).members?.map((m) => `${m.user.name}:${m.role}`)).toEqual([
      'me:moderator',
      'ann:member',
    ]);
    expect(room(state).info).toMatchObject({ role: 'moderator', memberCount: 2 });
    state = applyAll(state, {
      type: 'change',
      change: { event: 'member', data: { room: 'general', seq: 5, user: ann, reason: 'left' } },
    });
    expect(room(state).members?.map((m) => m.user.name)).toEqual(['me']);
    expect(room(state).info?.memberCount).toBe(1);
  });
});
