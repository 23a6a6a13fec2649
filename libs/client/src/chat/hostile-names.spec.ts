import { describe, expect, it } from '@jest/globals';
import type { User } from '@chat/contracts';
import { chatMessage, roomInfo, welcomed } from '../testing/chat-fixtures.js';
import { ArrivalTracker } from './arrivals.js';
import { chatReducer } from './chat-reducer.js';
import { loadRooms, saveRooms } from './persistence.js';

// Names that are keys of every plain object (Object.prototype): a room or user called so once
// read the prototype instead of "nothing yet", and the page went blank.
const HOSTILE = ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf', 'isPrototypeOf'];

const message = (room: string, seq: number, user: User) =>
  chatMessage(seq, { id: `${room}-${seq}`, room, user });
const info = (name: string) => roomInfo(name);

describe.each(HOSTILE)('a room and a user named %s', (name) => {
  const other: User = { id: name, name, guest: true };

  it('should start as an empty room, and keep messages, unread counts, presence and typing', () => {
    let state = chatReducer(welcomed(), { type: 'open', room: name });
    expect(state.rooms.get(name)).toMatchObject({ messages: [], lastSeq: 0 });
    state = chatReducer(state, { type: 'roomAdded', room: info(name) });
    expect(state.rooms.get(name)?.info).toMatchObject({ unread: 0 });
    state = chatReducer(state, {
      type: 'joined',
      joined: { room: name, lastSeq: 1, messages: [message(name, 1, other)], hasMore: false },
    });
    state = chatReducer(state, { type: 'select', room: 'general' });
    state = chatReducer(state, { type: 'message', message: message(name, 2, other) });
    state = chatReducer(state, { type: 'presence', presence: { room: name, users: [other] } });
    state = chatReducer(state, { type: 'typing', notice: { room: name, user: other }, now: 0 });
    const room = state.rooms.get(name);
    expect(room?.messages.map((m) => m.seq)).toEqual([1, 2]);
    expect(room).toMatchObject({ lastSeq: 2, presence: [other] });
    expect(room?.info?.unread).toBe(1);
    expect(room?.typing.map((t) => t.user.id)).toEqual([name]);

    state = chatReducer(state, { type: 'expireTyping', now: 60_000 });
    state = chatReducer(state, { type: 'presenceDiff', diff: { room: name, joined: [], left: [other] } });
    state = chatReducer(state, { type: 'disconnected' });
    expect(state.rooms.get(name)).toMatchObject({ presence: [], typing: [] });
    expect(state.rooms.get(name)?.info?.unread).toBe(1);
    state = chatReducer(state, { type: 'close', room: name });
    expect(state.rooms.has(name)).toBe(false);
    expect(state.joined).toEqual(['general']);
  });

  it('should not give a message in another room a room of that name', () => {
    const state = chatReducer(welcomed(), { type: 'message', message: message('general', 1, other) });
    expect(state.rooms.has(name)).toBe(false);
    expect([...state.rooms.keys()]).toEqual(['general']);
  });

  it('should tell arrivals from history in that room', () => {
    const arrivals = new ArrivalTracker();
    expect(arrivals.message(message(name, 1, other))).toBe(false);
    expect(arrivals.joined(name, [message(name, 1, other)], 1)).toEqual([]);
    expect(arrivals.message(message(name, 2, other))).toBe(true);
  });
});

describe('persisted rooms with hostile names', () => {
  it('should restore a room named constructor, and drop names the server would refuse', () => {
    saveRooms('u-1', ['general', 'constructor', '__proto__', 'toString'], 'constructor');
    expect(loadRooms('u-1')).toEqual({ joined: ['general', 'constructor'], active: 'constructor' });
  });
});
