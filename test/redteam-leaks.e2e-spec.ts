import { beforeAll, describe, expect, it } from '@jest/globals';
import type { AuthResponse } from '@chat/contracts';
import { randomBytes } from 'node:crypto';
import { dmRoomName } from '../apps/api/src/core/membership/dm-room-name.js';
import { guest, register } from './utils/accounts.js';
import { useMembershipApp } from './utils/membership.js';
import { describeOnEachStore, postgresAvailability, type StoreEnv } from './utils/postgres.js';
import type { TestApp } from './utils/start-app.js';
import type { TestClient } from './utils/test-client.js';

const uniqueRoom = (prefix: string) => `${prefix}-${randomBytes(4).toString('hex')}`;
const postgres = await postgresAvailability();

/**
 * Red team on privacy (issue 14): what an outsider learns about private rooms and DMs, and what
 * the people of a private room's messages leak into public ones, on one store.
 */
function describeLeaks(store: string, env: StoreEnv): void {
  describe(`privacy under attack on ${store}`, () => {
    const app = useMembershipApp(env);
    const { api, connect, joined } = app;
    let server: TestApp;
    let alice: AuthResponse;
    let bob: AuthResponse;
    let mallory: AuthResponse;
    beforeAll(() => {
      server = app.server;
      [alice, bob, mallory] = app.accounts as [AuthResponse, AuthResponse, AuthResponse];
    });
    /** The error a `join` of `room` gets, without what names the room. */
    const joinError = async (client: TestClient, room: string) => {
      client.send('join', { room });
      const { code, message } = await client.next('error', (e) => e.event === 'join');
      return { code, message: message.replaceAll(room, '<room>') };
    };

    it('should not tell an outsider whether two people have a DM (its name follows from their public ids)', async () => {
      const [carol, dave] = await Promise.all([register(server.baseUrl), register(server.baseUrl)]);
      const dm = dmRoomName(carol.user.id, dave.user.id);
      const outsider = await connect(mallory.token);
      const gina = await guest(server.baseUrl, 'Gina');
      const guestTab = await connect(gina.token);
      const before = [await joinError(outsider, dm), await joinError(guestTab, dm)];
      const beforeHttp = await api(mallory).messages(dm);

      expect((await api(carol).openDm(dave.user.name)).status).toBe(201);
      const after = [await joinError(outsider, dm), await joinError(guestTab, dm)];
      const afterHttp = await api(mallory).messages(dm);
      expect(after).toEqual(before);
      expect([afterHttp.status, afterHttp.body.message]).toEqual([
        beforeHttp.status,
        beforeHttp.body.message,
      ]);
      expect(after[0]?.code).toBe('not_found');
    });

    it('should not mention a non-member, nor quote a private message into a public room', async () => {
      const secret = uniqueRoom('secret');
      await api(alice).createRoom(secret, 'private');
      const owner = await joined(alice, secret);
      owner.send('send', { room: secret, text: `the plan, @${mallory.user.name}`, clientId: 'p1' });
      const { id: privateId } = await owner.next('ack', (a) => a.clientId === 'p1');

      const open = uniqueRoom('open');
      await api(bob).createRoom(open);
      const outsider = await joined(mallory, open);
      // A reply, or a thread, from a public room that points into the private one.
      outsider.send('send', { room: open, text: 'what plan?', replyTo: privateId, clientId: 'r1' });
      const refused = await outsider.next('error', (e) => e.clientId === 'r1');
      expect(refused.code).toBe('not_found');
      outsider.send('send', { room: open, text: 'what plan?', threadId: privateId, clientId: 'r2' });
      expect((await outsider.next('error', (e) => e.clientId === 'r2')).code).toBe('not_found');
      outsider.send('history', { room: open, threadId: privateId });
      expect((await outsider.next('history')).messages).toEqual([]);
      // Changes to it from outside: the same not_found as for an unknown id.
      outsider.send('react', { room: open, id: privateId, emoji: '👍', on: true, clientId: 'r3' });
      expect((await outsider.next('error', (e) => e.clientId === 'r3')).code).toBe('not_found');
      outsider.send('delete', { room: open, id: privateId, clientId: 'r4' });
      expect((await outsider.next('error', (e) => e.clientId === 'r4')).code).toBe('not_found');
      // Round trip: no mention of the private room ever reached mallory.
      outsider.send('ping', {});
      await outsider.next('pong');
      expect(outsider.pending('mention')).toEqual([]);
      expect(JSON.stringify(outsider.pending())).not.toContain('the plan');
    });

    it('should clamp a read marker to the last seq, and ignore one for a room you are not in', async () => {
      const room = uniqueRoom('marks');
      await api(alice).createRoom(room);
      const laptop = await joined(alice, room);
      const phone = await connect(alice.token);
      laptop.send('send', { room, text: 'one', clientId: 'm1' });
      const { seq } = await laptop.next('ack');
      laptop.send('read', { room, seq: Number.MAX_SAFE_INTEGER });
      expect(await phone.next('read')).toEqual({ room, seq });
      expect((await api(alice).myRooms()).get(room)).toMatchObject({ readSeq: seq, unread: 0 });
      const outsider = await connect(mallory.token);
      outsider.send('read', { room, seq: 1 });
      outsider.send('ping', {});
      await outsider.next('pong');
      expect(outsider.pending('error')).toEqual([]);
      expect((await api(mallory).myRooms()).has(room)).toBe(false);
    });
  });
}

describeOnEachStore('privacy under attack', postgres, describeLeaks);
