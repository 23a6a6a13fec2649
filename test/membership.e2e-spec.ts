import { beforeAll, describe, expect, it } from '@jest/globals';
import type { AuthResponse } from '@chat/contracts';
import { randomBytes } from 'node:crypto';
import { guest } from './utils/accounts.js';
import { membershipApi, useMembershipApp } from './utils/membership.js';
import { describeOnEachStore, postgresAvailability, type StoreEnv } from './utils/postgres.js';
import type { TestApp } from './utils/start-app.js';
import { TestClient } from './utils/test-client.js';

const uniqueRoom = (prefix: string) => `${prefix}-${randomBytes(4).toString('hex')}`;
const postgres = await postgresAvailability();

/** Rooms that belong to people, over every door, on one store (issue 14). */
function describeMembership(store: string, env: StoreEnv): void {
  describe(`membership on ${store}`, () => {
    const app = useMembershipApp(env);
    const { api, connect, clients } = app;
    let server: TestApp;
    let alice: AuthResponse;
    let bob: AuthResponse;
    let carol: AuthResponse;
    beforeAll(() => {
      server = app.server;
      [alice, bob, carol] = app.accounts as [AuthResponse, AuthResponse, AuthResponse];
    });

    it('should keep a private room invisible to a non-member over every door', async () => {
      const room = uniqueRoom('secret');
      expect((await api(alice).createRoom(room, 'private', 'plans')).status).toBe(201);
      const owner = await connect(alice.token);
      owner.send('join', { room });
      await owner.next('joined', (j) => j.room === room);
      owner.send('send', { room, text: 'the plan', clientId: 's1' });
      await owner.next('ack');

      const outsider = await connect(carol.token);
      outsider.send('join', { room });
      const joinError = await outsider.next('error');
      expect(joinError).toMatchObject({ code: 'not_found', event: 'join' });
      outsider.send('history', { room });
      expect(await outsider.next('error')).toMatchObject({ code: 'not_found', event: 'history' });
      const tokenless = await connect(undefined, 'Tess');
      tokenless.send('join', { room });
      expect(await tokenless.next('error')).toMatchObject({ code: 'not_found' });

      const messages = await api(carol).messages(room);
      expect(messages.status).toBe(404);
      expect(messages.text).not.toContain('the plan');
      expect((await api(carol).members(room)).status).toBe(404);
      const directory = await api(carol).directory();
      expect(directory.body.rooms.map((r: { name: string }) => r.name)).not.toContain(room);
      expect((await api(carol).myRooms()).has(room)).toBe(false);
      // The owner sees it all.
      expect((await api(alice).messages(room)).body.messages[0].text).toBe('the plan');
      expect((await api(alice).myRooms()).get(room)).toMatchObject({
        kind: 'private',
        topic: 'plans',
        role: 'owner',
      });
    });

    it('should let an owner add a member to a private room, who gets room.added and may then join', async () => {
      const room = uniqueRoom('team');
      await api(alice).createRoom(room, 'private');
      const bobTab = await connect(bob.token);
      await bobTab.next('rooms');
      const added = await api(alice).add(room, bob.user.name);
      expect(added.status).toBe(201);
      expect((await bobTab.next('room.added', (a) => a.room.name === room)).room).toMatchObject({
        kind: 'private',
        role: 'member',
        memberCount: 2,
      });
      bobTab.send('join', { room });
      expect((await bobTab.next('joined')).room).toBe(room);
      // A plain member of a private room cannot add people.
      expect((await api(bob).add(room, carol.user.name)).status).toBe(403);
      expect((await api(alice).add(room, bob.user.name)).status).toBe(409);
      const members = await api(bob).members(room);
      expect(members.body.members.map((m: { user: { name: string } }) => m.user.name).sort()).toEqual(
        [alice.user.name, bob.user.name].sort(),
      );
    });

    it('should open the same DM twice from either side, and tell the other person', async () => {
      const bobTab = await connect(bob.token);
      await bobTab.next('rooms');
      const first = await api(alice).openDm(bob.user.name);
      expect(first.status).toBe(201);
      expect(first.body).toMatchObject({ kind: 'dm', memberCount: 2, dmWith: { name: bob.user.name } });
      expect((await bobTab.next('room.added')).room).toMatchObject({
        name: first.body.name,
        dmWith: { id: alice.user.id },
      });
      const again = await api(alice).openDm(bob.user.name);
      const fromBob = await api(bob).openDm(alice.user.name);
      expect([again.status, fromBob.status]).toEqual([200, 200]);
      expect([again.body.name, fromBob.body.name]).toEqual([first.body.name, first.body.name]);
      expect(first.body.name).toMatch(/^dm-[0-9a-f]{29}$/);
      // Nobody else sees or enters it; nobody creates a dm- room by hand.
      expect((await api(carol).messages(first.body.name)).status).toBe(404);
      expect((await api(carol).createRoom(uniqueRoom('dm').replace(/^dm-/, 'dm-x'))).status).toBe(400);
      expect((await api(alice).openDm(alice.user.name)).status).toBe(400);
    });

    it('should make an account a member of a public room on join, but not a guest or a tokenless client', async () => {
      const room = uniqueRoom('open');
      await api(alice).createRoom(room);
      const bobTab = await connect(bob.token);
      bobTab.send('join', { room });
      await bobTab.next('joined');
      expect((await bobTab.next('room.added')).room).toMatchObject({ name: room, role: 'member' });
      // A guest reads and writes the public room, and holds no lasting membership of it.
      const gina = await guest(server.baseUrl, 'Gina');
      const ginaTab = await connect(gina.token);
      await ginaTab.next('rooms');
      ginaTab.send('join', { room });
      await ginaTab.next('joined');
      ginaTab.send('send', { room, text: 'hi from a guest', clientId: 'g1' });
      await ginaTab.next('ack');
      expect(ginaTab.pending('room.added')).toEqual([]);
      const tokenless = await connect(undefined, 'Tess');
      tokenless.send('join', { room });
      await tokenless.next('joined');
      tokenless.send('send', { room, text: 'hi from nowhere', clientId: 't1' });
      await tokenless.next('ack');
      // Alice and Bob: neither the guest nor the tokenless client counts.
      expect((await api(alice).myRooms()).get(room)?.memberCount).toBe(2);
      expect(tokenless.pending('rooms')).toEqual([]);
      // Guests never create rooms or open DMs.
      expect((await membershipApi(server.baseUrl, gina.token).createRoom(uniqueRoom('g'))).status).toBe(403);
      expect((await membershipApi(server.baseUrl, gina.token).openDm(alice.user.name)).status).toBe(403);
    });

    it('should refuse a banned user every join, and let a muted member read but not send', async () => {
      const room = uniqueRoom('modded');
      await api(alice).createRoom(room);
      const bobTab = await connect(bob.token);
      bobTab.send('join', { room });
      await bobTab.next('joined');

      expect((await api(alice).mute(room, bob.user.name, 5)).status).toBe(201);
      bobTab.send('send', { room, text: 'can I?', clientId: 'm1' });
      expect(await bobTab.next('error')).toMatchObject({ code: 'forbidden', clientId: 'm1' });
      expect((await api(bob).messages(room)).status).toBe(200);
      expect((await api(alice).members(room)).body.members).toContainEqual(
        expect.objectContaining({ user: expect.objectContaining({ id: bob.user.id }), muted: true }),
      );
      expect((await api(alice).unmute(room, bob.user.name)).status).toBe(204);
      bobTab.send('send', { room, text: 'now I can', clientId: 'm2' });
      expect((await bobTab.next('ack')).clientId).toBe('m2');

      // A member cannot moderate; the owner can make them a moderator, who then can.
      expect((await api(bob).ban(room, carol.user.name)).status).toBe(403);
      expect((await api(alice).setRole(room, bob.user.name, 'moderator')).body).toMatchObject({
        role: 'moderator',
      });
      expect((await api(bob).ban(room, alice.user.name)).status).toBe(403); // never an owner

      expect((await api(alice).ban(room, bob.user.name)).status).toBe(201);
      expect(await bobTab.next('room.removed')).toEqual({ room, reason: 'banned' });
      bobTab.send('join', { room });
      expect(await bobTab.next('error')).toMatchObject({ code: 'forbidden', event: 'join' });
      expect((await api(bob).messages(room)).status).toBe(403);
      expect((await api(alice).unban(room, bob.user.name)).status).toBe(204);
      bobTab.send('join', { room });
      expect((await bobTab.next('joined')).room).toBe(room);
    });

    it('should leave a room for good on every tab with DELETE .../members/me', async () => {
      const room = uniqueRoom('leaving');
      await api(alice).createRoom(room);
      const [laptop, phone] = [await connect(bob.token), await connect(bob.token)];
      laptop.send('join', { room });
      await laptop.next('joined');
      expect((await api(bob).remove(room, 'me')).status).toBe(204);
      expect(await laptop.next('room.removed')).toEqual({ room, reason: 'left' });
      expect(await phone.next('room.removed')).toEqual({ room, reason: 'left' });
      expect((await api(bob).myRooms()).has(room)).toBe(false);
      expect((await api(bob).remove('general', 'me')).status).toBe(403);
    });

    it('should close the simple-protocol connection of an account banned from general, and refuse its reconnect', async () => {
      const everyone = [alice, bob, carol];
      const roles = await Promise.all(
        everyone.map(async (who) => (await api(who).myRooms()).get('general')?.role),
      );
      const owner = everyone[roles.indexOf('owner')]!;
      const target = everyone.find((who) => who !== owner)!;
      const simple = await TestClient.connect(server.wsUrl, { protocols: [], token: target.token });
      clients.push(simple);
      try {
        expect((await api(owner).ban('general', target.user.name)).status).toBe(201);
        expect((await simple.closed).code).toBe(4403);
        const again = await TestClient.connect(server.wsUrl, { protocols: [], token: target.token });
        clients.push(again);
        expect((await again.closed).code).toBe(4403);
      } finally {
        expect((await api(owner).unban('general', target.user.name)).status).toBe(204);
      }
    });

    it('should let the owner set the topic, and list public rooms by prefix', async () => {
      const room = uniqueRoom('prefixed');
      await api(alice).createRoom(room);
      expect((await api(alice).setTopic(room, 'all about prefixes')).body).toMatchObject({
        topic: 'all about prefixes',
      });
      expect((await api(bob).setTopic(room, 'mine now')).status).toBe(403);
      const listed = await api(bob).directory(room.slice(0, 12));
      expect(listed.body.rooms).toContainEqual(
        expect.objectContaining({ name: room, topic: 'all about prefixes' }),
      );
      expect(listed.body.rooms.every((r: { name: string }) => r.name.startsWith(room.slice(0, 12)))).toBe(
        true,
      );
    });
  });
}

describeOnEachStore('membership', postgres, describeMembership);
