import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import type { AuthResponse } from '@chat/contracts';
import { randomBytes } from 'node:crypto';
import { guest, register } from './utils/accounts.js';
import { membershipApi } from './utils/membership.js';
import { NO_RATE_LIMITS, startApp, type TestApp } from './utils/start-app.js';
import { closeAll, TestClient } from './utils/test-client.js';

const uniqueRoom = (prefix: string) => `${prefix}-${randomBytes(4).toString('hex')}`;

/** Red team on limits (issue 14): MAX_MEMBERS_PER_ROOM against throwaway identities. */
describe('room member limit under a guest flood', () => {
  let server: TestApp;
  let owner: AuthResponse;
  let regular: AuthResponse;
  const clients: TestClient[] = [];

  beforeAll(async () => {
    server = await startApp({ ...NO_RATE_LIMITS, MAX_MEMBERS_PER_ROOM: '3' });
    [owner, regular] = await Promise.all([register(server.baseUrl), register(server.baseUrl)]);
  });
  afterEach(async () => {
    await closeAll(clients.splice(0));
  });
  afterAll(async () => {
    await server?.close();
  });

  // Every guest session is a new identity that nobody can name or remove: were guests lasting
  // members, a few guest sign-ins would fill any public room for good. They are not.
  it('should keep a public room open to accounts however many guests passed through it', async () => {
    const room = uniqueRoom('flooded');
    expect((await membershipApi(server.baseUrl, owner.token).createRoom(room)).status).toBe(201);
    for (const name of ['Flood1', 'Flood2']) {
      const session = await guest(server.baseUrl, name);
      const tab = await TestClient.joined(server.wsUrl, room, { token: session.token });
      await tab.close();
    }
    const account = await TestClient.connect(server.wsUrl, { token: regular.token });
    clients.push(account);
    await account.next('welcome');
    account.send('join', { room });
    const answer = await Promise.race([
      account.next('joined').then(() => 'joined'),
      account.next('error').then((error) => error.message),
    ]);
    expect(answer).toBe('joined');
  });
});
