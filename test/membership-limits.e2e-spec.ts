import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { AuthResponse } from '@chat/contracts';
import { randomBytes } from 'node:crypto';
import { register } from './utils/accounts.js';
import { membershipApi } from './utils/membership.js';
import { NO_RATE_LIMITS, startApp, type TestApp } from './utils/start-app.js';
import { TestClient } from './utils/test-client.js';

const uniqueRoom = (prefix: string) => `${prefix}-${randomBytes(4).toString('hex')}`;

/** Abuse stays bounded: members per room, DMs per minute, rooms per hour; nothing half-created. */
describe('membership limits', () => {
  let server: TestApp;
  let owner: AuthResponse;
  let others: AuthResponse[];

  beforeAll(async () => {
    server = await startApp({
      ...NO_RATE_LIMITS,
      MAX_MEMBERS_PER_ROOM: '2',
      DMS_PER_MINUTE_PER_USER: '1',
      ROOMS_PER_HOUR_PER_USER: '2',
    });
    owner = await register(server.baseUrl);
    others = [await register(server.baseUrl), await register(server.baseUrl), await register(server.baseUrl)];
  });
  afterAll(async () => {
    await server?.close();
  });
  const api = (who: AuthResponse) => membershipApi(server.baseUrl, who.token);

  it('should refuse a member past MAX_MEMBERS_PER_ROOM with forbidden, by add or by join, but never in general', async () => {
    const room = uniqueRoom('small');
    expect((await api(owner).createRoom(room)).status).toBe(201);
    expect((await api(owner).add(room, others[0]!.user.name)).status).toBe(201);
    const refused = await api(owner).add(room, others[1]!.user.name);
    expect(refused.status).toBe(403);
    expect(refused.body.message).toContain('full');
    expect((await api(owner).myRooms()).get(room)?.memberCount).toBe(2);
    expect((await api(others[1]!).myRooms()).has(room)).toBe(false);
    const joiner = await TestClient.connect(server.wsUrl, { token: others[2]!.token });
    try {
      await joiner.next('welcome');
      joiner.send('join', { room });
      expect(await joiner.next('error')).toMatchObject({ code: 'forbidden', event: 'join' });
    } finally {
      await joiner.close();
    }
    expect((await api(owner).myRooms()).get(room)?.memberCount).toBe(2);
    // general is everyone's: the limit of 2 does not apply to it (four accounts, and bot accounts).
    for (const account of [owner, ...others])
      expect((await api(account).myRooms()).has('general')).toBe(true);
    expect((await api(owner).myRooms()).get('general')?.memberCount).toBeGreaterThanOrEqual(4);
  });

  it('should refuse a second new DM within the minute with 429, creating nothing, while reopening stays free', async () => {
    const first = await api(owner).openDm(others[0]!.user.name);
    expect(first.status).toBe(201);
    const second = await api(owner).openDm(others[1]!.user.name);
    expect(second.status).toBe(429);
    expect(second.body.code).toBe('rate_limited');
    expect([...(await api(others[1]!).myRooms()).values()].some((room) => room.kind === 'dm')).toBe(false);
    expect((await api(owner).openDm(others[0]!.user.name)).status).toBe(200);
    // The other side's first DM is its own to count.
    expect((await api(others[1]!).openDm(others[2]!.user.name)).status).toBe(201);
  });

  it('should refuse a room past ROOMS_PER_HOUR_PER_USER with 429, creating nothing', async () => {
    const creator = others[2]!;
    expect((await api(creator).createRoom(uniqueRoom('one'))).status).toBe(201);
    expect((await api(creator).createRoom(uniqueRoom('two'))).status).toBe(201);
    const third = uniqueRoom('three');
    expect((await api(creator).createRoom(third)).status).toBe(429);
    expect((await api(creator).myRooms()).has(third)).toBe(false);
    expect((await api(creator).directory(third)).body.rooms).toEqual([]);
  });
});
