import {
  RoomInfoSchema,
  RoomListSchema,
  RoomMembersSchema,
  type CreateRoomRequest,
  type RoomInfo,
  type RoomMember,
  type RoomSummary,
} from '@chat/contracts';
import { callApi } from './http.js';

/** The HTTP calls of rooms that belong to people (docs/protocol.md, "HTTP API"). */

const roomPath = (room: string) => `/api/rooms/${encodeURIComponent(room)}`;

/** The public directory, filtered by a name prefix (one page: a search narrows it further). */
export async function searchRooms(q: string): Promise<RoomSummary[]> {
  const query = q === '' ? '' : `?q=${encodeURIComponent(q)}`;
  return (await callApi(RoomListSchema, `/api/rooms${query}`)).rooms;
}

export function createRoom(request: CreateRoomRequest): Promise<RoomInfo> {
  return callApi(RoomInfoSchema, '/api/rooms', { method: 'POST', body: request });
}

/** The DM with `username` (the same room every time, from either side). */
export function openDm(username: string): Promise<RoomInfo> {
  return callApi(RoomInfoSchema, '/api/dms', { method: 'POST', body: { username } });
}

/** Every member (pages followed; a sidebar list stops after a few). */
export async function fetchMembers(room: string): Promise<RoomMember[]> {
  const members: RoomMember[] = [];
  let cursor: string | null | undefined;
  for (let page = 0; page < 5; page++) {
    const query = cursor ? `?cursor=${encodeURIComponent(cursor)}` : '';
    const answer = await callApi(RoomMembersSchema, `${roomPath(room)}/members${query}`);
    members.push(...answer.members);
    cursor = answer.nextCursor;
    if (!cursor) break;
  }
  return members;
}

export async function addMember(room: string, username: string): Promise<void> {
  await callApi(null, `${roomPath(room)}/members`, { method: 'POST', body: { username } });
}

/** Leaves the room on every device: the server tells each connection (`room.removed`). */
export async function leaveRoom(room: string): Promise<void> {
  await callApi(null, `${roomPath(room)}/members/me`, { method: 'DELETE' });
}
