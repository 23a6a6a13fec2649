import { RoomListSchema, type RoomSummary } from '@chat/contracts';
import { callApi } from './http.js';

export async function fetchRooms(): Promise<RoomSummary[]> {
  return (await callApi(RoomListSchema, '/api/rooms')).rooms;
}
