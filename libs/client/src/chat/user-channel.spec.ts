import { describe, expect, it } from '@jest/globals';
import type { ChatMessage, RoomInfo, User } from '@chat/contracts';
import { applyAll, chatMessage, LIMITS, roomInfo, welcomed } from '../testing/chat-fixtures.js';
import { initialChatState, sidebarOrder } from './chat-state.js';

const me: User = { id: 'u-me', name: 'me', guest: false };
const ann: User = { id: 'u-ann', name: 'ann', guest: false };
const info = (name: string, extra: Partial<RoomInfo> = {}) =>
  roomInfo(name, { lastSeq: 10, readSeq: 10, ...extra });
const message = (room: string, seq: number, extra: Partial<ChatMessage> = {}) =>
  chatMessage(seq, { id: `${room}-${seq}`, room, user: ann, text: 'hi', ...extra });

describe('the user’s own channel', () => {
  it('should take the room list from `rooms`, dropping cached rooms that are no longer mine', () => {
    const state = applyAll(welcomed({ joined: ['general', 'left-elsewhere'], user: me }), {
      type: 'rooms',
      rooms: [info('general'), info('design')],
    });
    expect(state).toMatchObject({ roomsKnown: true, joined: ['general', 'design'], active: 'general' });
    expect(state.rooms.get('design')?.info?.name).toBe('design');
  });

  it('should keep a guest’s rooms, which the server does not hold for it', () => {
    const guestState = applyAll(initialChatState(['general', 'lobby'], 'lobby', []), {
      type: 'welcome',
      user: { ...me, guest: true },
      limits: LIMITS,
    });
    const state = applyAll(guestState, { type: 'rooms', rooms: [] });
    expect(state).toMatchObject({ roomsKnown: true, joined: ['general', 'lobby'], active: 'lobby' });
  });

  it('should count a guest’s unread messages itself, from where it joined (no RoomInfo for guests)', () => {
    let state = applyAll(initialChatState(['general', 'lobby'], 'general', []), {
      type: 'welcome',
      user: { ...me, guest: true },
      limits: LIMITS,
    });
    state = applyAll(
      state,
      { type: 'rooms', rooms: [] },
      { type: 'joined', joined: { room: 'lobby', lastSeq: 4, messages: [], hasMore: false } },
      { type: 'message', message: message('lobby', 5) },
    );
    expect(state.rooms.get('lobby')?.info).toMatchObject({ readSeq: 4, unread: 1 });
  });

  it('should add a room on `room.added` and remove it on `room.removed` (closing its thread)', () => {
    let state = applyAll(
      welcomed({ user: me }),
      { type: 'rooms', rooms: [info('general')] },
      { type: 'roomAdded', room: info('design') },
    );
    state = applyAll(
      state,
      { type: 'select', room: 'design' },
      { type: 'openThread', room: 'design', root: 'x' },
    );
    expect(state.joined).toEqual(['general', 'design']);
    state = applyAll(state, { type: 'roomRemoved', room: 'design' });
    expect(state).toMatchObject({ joined: ['general'], active: 'general', thread: null });
    expect(state.rooms.has('design')).toBe(false);
  });

  it('should count live messages by others past the server’s report once, not thread replies or mine', () => {
    let state = applyAll(welcomed({ user: me }), { type: 'rooms', rooms: [info('general', { unread: 2 })] });
    state = applyAll(
      state,
      { type: 'message', message: message('general', 10) }, // already in the server's count
      { type: 'message', message: message('general', 11) },
      { type: 'message', message: message('general', 12, { user: me }) },
      { type: 'message', message: message('general', 13, { threadId: 'general-11' }) },
      { type: 'message', message: message('general', 11) },
    );
    expect(state.rooms.get('general')?.info?.unread).toBe(3);
  });

  it('should count a mention once whether `mention` or the message comes first', () => {
    let state = applyAll(welcomed({ user: me }), { type: 'rooms', rooms: [info('general')] });
    state = applyAll(
      state,
      { type: 'mention', mention: { room: 'general', seq: 11, id: 'general-11', by: ann } },
      { type: 'message', message: message('general', 11, { mentions: [me.id] }) },
      { type: 'message', message: message('general', 12, { mentions: [me.id] }) },
      { type: 'mention', mention: { room: 'general', seq: 12, id: 'general-12', by: ann } },
    );
    expect(state.rooms.get('general')?.info).toMatchObject({ unread: 2, mentions: 2 });
  });

  it('should clear the counts when the read marker passes everything, and recount when it stops before', () => {
    let state = applyAll(welcomed({ user: me }), {
      type: 'rooms',
      rooms: [info('general', { lastSeq: 0, readSeq: 0 })],
    });
    state = applyAll(state, {
      type: 'joined',
      joined: { room: 'general', lastSeq: 0, messages: [], hasMore: false },
    });
    for (const seq of [1, 2, 3])
      state = applyAll(state, {
        type: 'message',
        message: message('general', seq, { mentions: seq === 3 ? [me.id] : [] }),
      });
    expect(state.rooms.get('general')?.info).toMatchObject({ unread: 3, mentions: 1 });
    state = applyAll(state, { type: 'read', room: 'general', seq: 1 });
    expect(state.rooms.get('general')?.info).toMatchObject({ readSeq: 1, unread: 2, mentions: 1 });
    state = applyAll(state, { type: 'read', room: 'general', seq: 0 }); // never backwards
    expect(state.rooms.get('general')?.info?.readSeq).toBe(1);
    state = applyAll(state, { type: 'read', room: 'general', seq: 3 });
    expect(state.rooms.get('general')?.info).toMatchObject({ readSeq: 3, unread: 0, mentions: 0 });
  });

  it('should order the sidebar: general first, rooms by name, then DMs by the other person', () => {
    const state = applyAll(welcomed({ user: me }), {
      type: 'rooms',
      rooms: [
        info('dm-b', { kind: 'dm', dmWith: { ...ann, name: 'zed' } }),
        info('zoo'),
        info('dm-a', { kind: 'dm', dmWith: ann }),
        info('general'),
        info('art', { kind: 'private' }),
      ],
    });
    expect(sidebarOrder(state.joined, state.rooms)).toEqual(['general', 'art', 'zoo', 'dm-a', 'dm-b']);
  });
});
