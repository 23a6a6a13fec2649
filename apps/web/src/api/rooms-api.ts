import { RoomListSchema, type RoomSummary } from '@chat/contracts';
import { callApi } from './http.js';

/** The room list is paged; a sidebar has no use for more than this many pages of it. */
const MAX_PAGES = 5;

export async function fetchRooms(): Promise<RoomSummary[]> {
  const rooms: RoomSummary[] = [];
  let cursor: string | null = null;
  for (let page = 0; page < MAX_PAGES; page++) {
    const query: string = cursor === null ? '' : `?cursor=${encodeURIComponent(cursor)}`;
    const list = await callApi(RoomListSchema, `/api/rooms${query}`);
    rooms.push(...list.rooms);
    cursor = list.nextCursor;
    if (cursor === null) break;
  }
  return rooms;
}
