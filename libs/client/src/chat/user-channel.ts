import { DEFAULT_ROOM, type RoomInfo } from '@chat/contracts';
import { EMPTY_ROOM, type ChatState, type RoomState } from './chat-state.js';
import { withInfo } from './read-state.js';

/**
 * The user's own channel (docs/protocol.md, "Your own channel"): which rooms and DMs are theirs
 * comes from the server, on every device alike; the browser only caches the list for starting
 * offline.
 */

/**
 * `rooms` after `welcome`: the whole list. Rooms not in it are no longer yours (left elsewhere).
 * A guest holds no lasting membership (the server lists no rooms for it): its public rooms live
 * in this browser only, so the ones it holds are kept.
 */
export function applyRoomsSnapshot(state: ChatState, infos: RoomInfo[]): ChatState {
  const rooms = new Map<string, RoomState>();
  for (const info of infos) rooms.set(info.name, withInfo(state.rooms.get(info.name) ?? EMPTY_ROOM, info));
  const kept = state.me?.guest ? state.joined.filter((room) => !rooms.has(room)) : [];
  for (const room of kept) rooms.set(room, state.rooms.get(room) ?? EMPTY_ROOM);
  const joined = [...kept, ...infos.map((info) => info.name)];
  return {
    ...state,
    roomsKnown: true,
    joined,
    rooms,
    active: joined.includes(state.active) ? state.active : fallbackRoom(joined),
    thread: state.thread && rooms.has(state.thread.room) ? state.thread : null,
  };
}

/** `room.added` (created, joined, added, a DM opened), or the answer of a create or DM call. */
export function applyRoomAdded(state: ChatState, info: RoomInfo): ChatState {
  const rooms = new Map(state.rooms);
  rooms.set(info.name, withInfo(state.rooms.get(info.name) ?? EMPTY_ROOM, info));
  const joined = state.joined.includes(info.name) ? state.joined : [...state.joined, info.name];
  return { ...state, rooms, joined };
}

/** `room.removed` (left on any device, kicked, banned), or a refused join: the room goes away. */
export function applyRoomRemoved(state: ChatState, room: string): ChatState {
  const joined = state.joined.filter((name) => name !== room);
  const rooms = new Map(state.rooms);
  rooms.delete(room);
  const active = state.active === room ? fallbackRoom(joined) : state.active;
  return { ...state, joined, rooms, active, thread: state.thread?.room === room ? null : state.thread };
}

function fallbackRoom(joined: string[]): string {
  return joined.includes(DEFAULT_ROOM) ? DEFAULT_ROOM : (joined[0] ?? DEFAULT_ROOM);
}

/** Updates one room's state, if it is held. */
export function updateHeld(
  state: ChatState,
  room: string,
  update: (current: RoomState) => RoomState,
): ChatState {
  const current = state.rooms.get(room);
  if (!current) return state;
  const next = update(current);
  if (next === current) return state;
  const rooms = new Map(state.rooms);
  rooms.set(room, next);
  return { ...state, rooms };
}
