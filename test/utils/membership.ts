import { afterAll, afterEach, beforeAll } from '@jest/globals';
import { MyRoomsSchema, type AuthResponse, type RoomInfo } from '@chat/contracts';
import request from 'supertest';
import { bearer, register } from './accounts.js';
import type { StoreEnv } from './postgres.js';
import { NO_RATE_LIMITS, startApp, type TestApp } from './start-app.js';
import { closeAll, TestClient } from './test-client.js';

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

/** What the membership suites share: a server on one store, accounts, and clients closed after each test. */
export interface MembershipApp {
  /** Set before the suite's tests run. */
  server: TestApp;
  /** Registered accounts, set before the suite's tests run. */
  accounts: AuthResponse[];
  /** Closed after each test. */
  clients: TestClient[];
  api(who: AuthResponse): MembershipApi;
  /** A chat.v1 client (a token, a tokenless `name`, or neither) past its `welcome`. */
  connect(token?: string, name?: string): Promise<TestClient>;
  /** A client of `who` that has joined `room`. */
  joined(who: AuthResponse, room: string): Promise<TestClient>;
}

/** Starts the server and registers `accounts` accounts in beforeAll; stops it all in afterAll. */
export function useMembershipApp(env: StoreEnv, accounts = 3): MembershipApp {
  const app: MembershipApp = {
    server: undefined as unknown as TestApp,
    accounts: [],
    clients: [],
    api: (who) => membershipApi(app.server.baseUrl, who.token),
    async connect(token, name) {
      const client = await TestClient.connect(app.server.wsUrl, {
        ...(token && { token }),
        ...(name && { name }),
      });
      app.clients.push(client);
      await client.next('welcome');
      return client;
    },
    async joined(who, room) {
      const client = await TestClient.joined(app.server.wsUrl, room, { token: who.token });
      app.clients.push(client);
      return client;
    },
  };
  beforeAll(async () => {
    app.server = await startApp({ ...NO_RATE_LIMITS, ...env() });
    app.accounts = await Promise.all(Array.from({ length: accounts }, () => register(app.server.baseUrl)));
  });
  afterEach(async () => {
    await closeAll(app.clients.splice(0));
  });
  afterAll(async () => {
    await app.server?.close();
  });
  return app;
}
