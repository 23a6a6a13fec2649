import { MyRoomsSchema, type RoomInfo } from '@chat/contracts';
import request from 'supertest';
import { bearer } from './accounts.js';

/** The membership calls of the HTTP API for one signed-in user (test/membership*.e2e-spec.ts). */
export function membershipApi(baseUrl: string, token: string) {
  const http = () => request(baseUrl);
  return {
    createRoom: (name: string, kind: 'public' | 'private' = 'public', topic?: string) =>
      http()
        .post('/api/rooms')
        .set(bearer(token))
        .send({ name, kind, ...(topic !== undefined && { topic }) }),
    openDm: (username: string) => http().post('/api/dms').set(bearer(token)).send({ username }),
    async myRooms(): Promise<Map<string, RoomInfo>> {
      const response = await http().get('/api/me/rooms').set(bearer(token));
      if (response.status !== 200) throw new Error(`GET /api/me/rooms: ${response.status} ${response.text}`);
      return new Map(MyRoomsSchema.parse(response.body).rooms.map((room) => [room.name, room]));
    },
    directory: (q?: string) =>
      http()
        .get('/api/rooms')
        .query(q === undefined ? {} : { q })
        .set(bearer(token)),
    messages: (room: string) => http().get(`/api/rooms/${room}/messages`).set(bearer(token)),
    members: (room: string) => http().get(`/api/rooms/${room}/members`).set(bearer(token)),
    add: (room: string, username: string) =>
      http().post(`/api/rooms/${room}/members`).set(bearer(token)).send({ username }),
    remove: (room: string, username: string) =>
      http().delete(`/api/rooms/${room}/members/${username}`).set(bearer(token)),
    setRole: (room: string, username: string, role: string) =>
      http().put(`/api/rooms/${room}/members/${username}`).set(bearer(token)).send({ role }),
    ban: (room: string, username: string) =>
      http().post(`/api/rooms/${room}/bans`).set(bearer(token)).send({ username }),
    unban: (room: string, username: string) =>
      http().delete(`/api/rooms/${room}/bans/${username}`).set(bearer(token)),
    mute: (room: string, username: string, minutes?: number) =>
      http()
        .post(`/api/rooms/${room}/mutes`)
        .set(bearer(token))
        .send({ username, ...(minutes !== undefined && { minutes }) }),
    unmute: (room: string, username: string) =>
      http().delete(`/api/rooms/${room}/mutes/${username}`).set(bearer(token)),
    setTopic: (room: string, topic: string) =>
      http().patch(`/api/rooms/${room}`).set(bearer(token)).send({ topic }),
  };
}

export type MembershipApi = ReturnType<typeof membershipApi>;
