import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { AuthResponse } from '@chat/contracts';
import request from 'supertest';
import { ApiKeysService } from '../apps/api/src/api-keys/api-keys.service.js';
import { bearer, register } from './utils/accounts.js';
import { membershipApi } from './utils/membership.js';
import { NO_RATE_LIMITS, startApp, type TestApp } from './utils/start-app.js';
import { closeAll, TestClient } from './utils/test-client.js';

const ENV = { ...NO_RATE_LIMITS, LOGIN_LIMIT_PER_IP: '0', LOGIN_LIMIT_PER_USERNAME: '0' };

describe('red team: the new doors', () => {
  let server: TestApp;
  let alice: AuthResponse;
  let bob: AuthResponse;
  const privateRoom = `rt-${randomUUID().slice(0, 8)}`;

  const key = async (scopes: string[]) =>
    (await server.app.get(ApiKeysService).create({ name: `rt${randomUUID().slice(0, 8)}`, scopes })).key;
  const post = (token: string, room: string, body: object, idempotencyKey?: string) =>
    request(server.baseUrl)
      .post(`/api/rooms/${room}/messages`)
      .set({ ...bearer(token), ...(idempotencyKey !== undefined && { 'Idempotency-Key': idempotencyKey }) })
      .send(body);
  const texts = async (room: string) => {
    const page = await membershipApi(server.baseUrl, alice.token).messages(room);
    expect(page.status).toBe(200);
    return (page.body as { messages: { text: string }[] }).messages.map((m) => m.text);
  };

  beforeAll(async () => {
    server = await startApp(ENV);
    alice = await register(server.baseUrl);
    bob = await register(server.baseUrl);
    expect((await membershipApi(server.baseUrl, alice.token).createRoom(privateRoom, 'private')).status).toBe(
      201,
    );
  });
  afterAll(async () => {
    await server?.close();
  });

  it('a key cannot post into, read, or list the members of a private room its bot is not in', async () => {
    const writer = await key(['messages:write', 'members:manage', 'rooms:manage']);
    const posted = await post(writer, privateRoom, { text: 'key was here' });
    expect([403, 404]).toContain(posted.status);
    const read = await request(server.baseUrl).get(`/api/rooms/${privateRoom}/messages`).set(bearer(writer));
    expect([403, 404]).toContain(read.status);
    const members = await request(server.baseUrl)
      .get(`/api/rooms/${privateRoom}/members`)
      .set(bearer(writer));
    expect([403, 404]).toContain(members.status);
    const add = await request(server.baseUrl)
      .post(`/api/rooms/${privateRoom}/members`)
      .set(bearer(writer))
      .send({ username: bob.user.name });
    expect([403, 404]).toContain(add.status);
    const bobPost = await post(bob.token, privateRoom, { text: 'bob was here' });
    expect([403, 404]).toContain(bobPost.status);
    expect(await texts(privateRoom)).toEqual([]);
  });

  it('an Idempotency-Key equal to a clientId sent over the socket with other text is a 409, not that message', async () => {
    const client = await TestClient.joined(server.wsUrl, 'general', { token: alice.token });
    try {
      const clientId = `ws-${randomUUID()}`;
      client.send('send', { room: 'general', text: 'said on the socket', clientId });
      await client.next('ack', (data) => data.clientId === clientId);
      const replay = await post(alice.token, 'general', { text: 'something else' }, clientId);
      expect(replay.status).toBe(409);
      expect(replay.body).toMatchObject({ code: 'idempotency_conflict' });
      // Still refused when retried: the key stays bound to the socket's message.
      expect((await post(alice.token, 'general', { text: 'something else' }, clientId)).status).toBe(409);
      expect((await texts('general')).filter((text) => text === 'something else')).toEqual([]);
    } finally {
      await closeAll([client]);
    }
  });

  it('an as-user key posts messages for a member, never runs commands as them (no /kick with their role)', async () => {
    const asUser = await key(['messages:write', 'messages:write:as-user']);
    const room = `rt-${randomUUID().slice(0, 8)}`;
    const api = membershipApi(server.baseUrl, alice.token);
    expect((await api.createRoom(room)).status).toBe(201);
    expect((await api.add(room, bob.user.name)).status).toBe(201);
    const response = await post(asUser, room, { text: `/kick ${bob.user.name}`, asUser: alice.user.id });
    expect(response.status).toBe(201);
    expect((response.body as { message: { text: string } }).message.text).toBe(`/kick ${bob.user.name}`);
    const members = await api.members(room);
    const names = (members.body as { members: { user: { id: string } }[] }).members.map((m) => m.user.id);
    expect(names).toContain(bob.user.id);
  });

  it('an as-user key cannot post as a user into a room through an id of another room', async () => {
    const asUser = await key(['messages:write', 'messages:write:as-user']);
    const response = await post(asUser, privateRoom, { text: 'as bob', asUser: bob.user.id });
    expect(response.status).toBe(403);
  });
});
