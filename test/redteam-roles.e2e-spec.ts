import { beforeAll, describe, expect, it } from '@jest/globals';
import type { AuthResponse } from '@chat/contracts';
import { randomBytes } from 'node:crypto';
import { useMembershipApp } from './utils/membership.js';
import { describeOnEachStore, postgresAvailability, type StoreEnv } from './utils/postgres.js';

const uniqueRoom = (prefix: string) => `${prefix}-${randomBytes(4).toString('hex')}`;
const postgres = await postgresAvailability();

/**
 * Red team on roles (issue 14): what a hostile member can do to the people above them, by every
 * door (HTTP, WebSocket, the `/kick` slash command), on one store.
 */
function describeRoleAttacks(store: string, env: StoreEnv): void {
  describe(`roles under attack on ${store}`, () => {
    const app = useMembershipApp(env);
    const { api, joined } = app;
    let alice: AuthResponse;
    let bob: AuthResponse;
    let carol: AuthResponse;
    beforeAll(() => {
      [alice, bob, carol] = app.accounts as [AuthResponse, AuthResponse, AuthResponse];
    });

    it('should refuse /kick from a plain member: the owner of a private room stays in it', async () => {
      const room = uniqueRoom('coup');
      expect((await api(alice).createRoom(room, 'private')).status).toBe(201);
      expect((await api(alice).add(room, bob.user.name)).status).toBe(201);
      const owner = await joined(alice, room);
      const member = await joined(bob, room);

      member.send('send', { room, text: `/kick ${alice.user.name}`, clientId: 'coup1' });
      const answer = await member.next('notice', (n) => n.clientId === 'coup1');
      expect(answer.text).toContain('only an owner or moderator');
      // Still the owner's room: a round trip shows no room.removed, and the membership holds.
      owner.send('ping', {});
      await owner.next('pong');
      expect(owner.pending('room.removed')).toEqual([]);
      expect((await api(alice).myRooms()).get(room)?.role).toBe('owner');
      expect((await api(alice).messages(room)).status).toBe(200);
    });

    it('should refuse /kick of an owner by a moderator, and let an owner /kick a member', async () => {
      const room = uniqueRoom('kick-rules');
      await api(alice).createRoom(room);
      const owner = await joined(alice, room);
      const moderator = await joined(bob, room);
      const target = await joined(carol, room);
      expect((await api(alice).setRole(room, bob.user.name, 'moderator')).status).toBe(200);

      moderator.send('send', { room, text: `/kick ${alice.user.name}`, clientId: 'k1' });
      expect((await moderator.next('notice', (n) => n.clientId === 'k1')).text).toContain('is an owner');
      owner.send('ping', {});
      await owner.next('pong');
      expect(owner.pending('room.removed')).toEqual([]);

      owner.send('send', { room, text: `/kick ${carol.user.name}`, clientId: 'k2' });
      expect((await owner.next('notice', (n) => n.clientId === 'k2')).text).toBe(
        `${carol.user.name} was removed from ${room}`,
      );
      expect(await target.next('room.removed')).toEqual({ room, reason: 'kicked' });
      expect((await api(carol).myRooms()).has(room)).toBe(false);
    });

    it("should refuse a moderator deleting an owner's message (nobody acts on an owner but an owner)", async () => {
      const room = uniqueRoom('tombstone');
      await api(alice).createRoom(room);
      const owner = await joined(alice, room);
      const moderator = await joined(bob, room);
      const member = await joined(carol, room);
      expect((await api(alice).setRole(room, bob.user.name, 'moderator')).status).toBe(200);

      owner.send('send', { room, text: 'house rules', clientId: 'o1' });
      const { id: ownersId } = await owner.next('ack', (a) => a.clientId === 'o1');
      member.send('send', { room, text: 'spam', clientId: 'c1' });
      const { id: membersId } = await member.next('ack', (a) => a.clientId === 'c1');

      moderator.send('delete', { room, id: ownersId, clientId: 'd1' });
      expect(await moderator.next('error', (e) => e.clientId === 'd1')).toMatchObject({
        code: 'forbidden',
        event: 'delete',
      });
      // A member's message is the moderator's to delete.
      moderator.send('delete', { room, id: membersId, clientId: 'd2' });
      expect((await moderator.next('ack', (a) => a.clientId === 'd2')).id).toBe(membersId);
      const page = await api(alice).messages(room);
      const texts = (page.body as { messages: { id: string; text: string }[] }).messages.map((m) => [
        m.id,
        m.text,
      ]);
      expect(texts).toContainEqual([ownersId, 'house rules']);
      expect(texts).toContainEqual([membersId, '']);
    });

    it('should refuse the last owner leaving a room that has other members (it would have no owner)', async () => {
      const room = uniqueRoom('orphan');
      await api(alice).createRoom(room, 'private');
      await api(alice).add(room, bob.user.name);
      const refused = await api(alice).remove(room, 'me');
      expect(refused.status).toBe(403);
      expect(refused.body.message).toContain('last owner');
      expect((await api(alice).myRooms()).get(room)?.role).toBe('owner');
      // With a second owner, the first may go; the last one alone may go too.
      expect((await api(alice).setRole(room, bob.user.name, 'owner')).status).toBe(200);
      expect((await api(alice).remove(room, 'me')).status).toBe(204);
      expect((await api(bob).remove(room, 'me')).status).toBe(204);
    });

    it('should refuse a muted moderator lifting their own mute', async () => {
      const room = uniqueRoom('self-unmute');
      await api(alice).createRoom(room);
      const moderator = await joined(bob, room);
      expect((await api(alice).setRole(room, bob.user.name, 'moderator')).status).toBe(200);
      expect((await api(alice).mute(room, bob.user.name)).status).toBe(201);
      expect((await api(bob).unmute(room, bob.user.name)).status).toBe(403);
      moderator.send('send', { room, text: 'free at last?', clientId: 'u1' });
      expect(await moderator.next('error', (e) => e.clientId === 'u1')).toMatchObject({ code: 'forbidden' });
      expect((await api(alice).unmute(room, bob.user.name)).status).toBe(204);
    });

    it('should answer a non-member the same for a private room as for no room at all', async () => {
      const room = uniqueRoom('hidden');
      await api(alice).createRoom(room, 'private');
      const missing = uniqueRoom('nowhere');
      const [privateAnswer, missingAnswer] = await Promise.all([
        api(carol).members(room),
        api(carol).members(missing),
      ]);
      expect(privateAnswer.status).toBe(404);
      expect(missingAnswer.status).toBe(404);
      // Only the name differs: the text must not tell "private" from "missing".
      expect(privateAnswer.body.message.replaceAll(room, 'X')).toBe(
        missingAnswer.body.message.replaceAll(missing, 'X'),
      );
    });
  });
}

describeOnEachStore('roles under attack', postgres, describeRoleAttacks);
