import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { UNREAD_COUNT_MAX, type User } from '@chat/contracts';
import type { MembershipStore } from '../membership-store.js';
import type { MessageStore } from '../message-store.js';
import type { RoomStore } from '../room-store.js';
import type { UserStore } from '../user-store.js';

const alice: User = { id: 'u-alice', name: 'alice', guest: false };
const bob: User = { id: 'u-bob', name: 'bob', guest: false };
const gina: User = { id: 'guest:gina', name: 'Gina', guest: true };

/** The stores of one fresh, empty database, and a way to add a mention row (issue 15 writes them). */
export interface MembershipStores {
  membership: MembershipStore;
  rooms: RoomStore;
  users: UserStore;
  messages: MessageStore;
  mention(userId: string, room: string, seq: number): Promise<void>;
  close(): Promise<void>;
}

/** The behaviour every MembershipStore (and the RoomStore calls it works with) must have. */
export function describeMembershipStoreContract(name: string, open: () => Promise<MembershipStores>): void {
  describe(`${name} (MembershipStore contract)`, () => {
    let s: MembershipStores;

    beforeEach(async () => {
      s = await open();
    });
    afterEach(async () => {
      await s.close();
    });

    it('should make a registered account a member of general, the first one its owner', async () => {
      await s.users.create({ id: alice.id, username: 'alice', passwordHash: 'x' });
      await s.users.create({ id: bob.id, username: 'bob', passwordHash: 'x' });
      expect((await s.membership.member('general', alice.id))?.role).toBe('owner');
      expect((await s.membership.member('general', bob.id))?.role).toBe('member');
      expect((await s.rooms.find('general'))?.memberCount).toBe(2);
      // A taken name creates neither the account nor a membership.
      expect(await s.users.create({ id: 'u-other', username: 'ALICE', passwordHash: 'x' })).toBe('taken');
      expect(await s.membership.member('general', 'u-other')).toBeNull();
      // A bot is a member of general too, never its owner.
      await s.users.ensureBot({ id: 'bot-1', username: 'helper' });
      await s.users.ensureBot({ id: 'bot-1', username: 'helper' });
      expect(await s.membership.member('general', 'bot-1')).toMatchObject({
        role: 'member',
        user: { id: 'bot-1', bot: true },
      });
      expect((await s.rooms.find('general'))?.memberCount).toBe(3);
    });

    it('should create a room with its owner as the one member, and refuse a taken name', async () => {
      expect(await s.rooms.create('design', { kind: 'private', topic: 'pixels', owner: alice })).toBe(true);
      expect(await s.rooms.create('design', { kind: 'public', owner: bob })).toBe(false);
      expect(await s.rooms.find('design')).toMatchObject({
        kind: 'private',
        topic: 'pixels',
        memberCount: 1,
      });
      expect(await s.membership.access('design', alice.id)).toEqual({
        kind: 'private',
        member: { role: 'owner', mutedUntil: null, readSeq: 0 },
        banned: false,
      });
      expect(await s.membership.access('design', bob.id)).toMatchObject({ member: null, banned: false });
      expect(await s.membership.access('nowhere', bob.id)).toBeNull();
    });

    it('should add once, keep member_count in step, and refuse the banned and a full room', async () => {
      await s.rooms.create('r', { kind: 'public', owner: alice });
      expect(await s.membership.add('r', bob, 'member', 3)).toBe('added');
      expect(await s.membership.add('r', bob, 'member', 3)).toBe('member');
      expect(await s.membership.add('r', gina, 'member', 2)).toBe('full');
      expect(await s.membership.add('nowhere', gina, 'member', 0)).toBe('missing');
      expect((await s.rooms.find('r'))?.memberCount).toBe(2);

      expect(await s.membership.ban('r', bob.id, alice.id)).toBe(true);
      expect((await s.rooms.find('r'))?.memberCount).toBe(1);
      expect(await s.membership.add('r', bob, 'member', 0)).toBe('banned');
      expect((await s.membership.access('r', bob.id))?.banned).toBe(true);
      expect(await s.membership.unban('r', bob.id)).toBe(true);
      expect(await s.membership.unban('r', bob.id)).toBe(false);
      expect(await s.membership.add('r', gina, 'member', 0)).toBe('added');
      expect((await s.membership.member('r', gina.id))?.user).toEqual(gina);
      expect(await s.membership.remove('r', gina.id)).toBe(true);
      expect(await s.membership.remove('r', gina.id)).toBe(false);
      expect((await s.rooms.find('r'))?.memberCount).toBe(1);
    });

    it('should move the read marker forward only, up to the last seq', async () => {
      await s.rooms.create('r', { kind: 'public', owner: alice });
      for (const text of ['one', 'two', 'three']) {
        await s.messages.append({ room: 'r', user: bob, text, clientId: text });
      }
      expect(await s.membership.markRead('r', alice.id, 2)).toBe(2);
      expect(await s.membership.markRead('r', alice.id, 1)).toBeNull();
      expect(await s.membership.markRead('r', alice.id, 2)).toBeNull();
      expect(await s.membership.markRead('r', alice.id, 99)).toBe(3);
      expect(await s.membership.markRead('r', bob.id, 3)).toBeNull(); // not a member
    });

    it('should move several read markers in one call, each as markRead would', async () => {
      await s.rooms.create('r', { kind: 'public', owner: alice });
      await s.rooms.create('q', { kind: 'public', owner: bob });
      for (const text of ['one', 'two', 'three']) {
        await s.messages.append({ room: 'r', user: bob, text, clientId: `r-${text}` });
      }
      await s.messages.append({ room: 'q', user: bob, text: 'q', clientId: 'q-one' });
      await s.membership.markRead('r', alice.id, 2);
      expect(
        await s.membership.markReadMany([
          { room: 'r', userId: alice.id, seq: 1 }, // behind: no move
          { room: 'q', userId: bob.id, seq: 99 }, // clamped to q's last seq
          { room: 'r', userId: bob.id, seq: 3 }, // not a member of r
        ]),
      ).toEqual([null, 1, null]);
      expect(await s.membership.markReadMany([{ room: 'r', userId: alice.id, seq: 99 }])).toEqual([3]);
      expect(await s.membership.markReadMany([])).toEqual([]);
    });

    it('should count unread messages by others and unread mentions after the marker', async () => {
      await s.rooms.create('r', { kind: 'public', owner: alice });
      await s.membership.add('r', bob, 'member', 0);
      await s.messages.append({ room: 'r', user: alice, text: 'mine', clientId: 'a1' });
      const two = await s.messages.append({ room: 'r', user: bob, text: 'hi @alice', clientId: 'b1' });
      await s.messages.append({ room: 'r', user: bob, text: 'there', clientId: 'b2' });
      await s.mention(alice.id, 'r', two.message.seq);

      const [room] = await s.membership.roomsOf(alice.id, 'r');
      expect(room).toMatchObject({
        name: 'r',
        role: 'owner',
        lastSeq: 3,
        readSeq: 0,
        unread: 2,
        mentions: 1,
      });
      expect(room?.lastActivity).toBe((await s.rooms.find('r'))?.lastActivity);

      await s.membership.markRead('r', alice.id, two.message.seq);
      expect((await s.membership.roomsOf(alice.id, 'r'))[0]).toMatchObject({ unread: 1, mentions: 0 });
    });

    it('should count unread messages and mentions up to UNREAD_COUNT_MAX only', async () => {
      await s.rooms.create('busy', { kind: 'public', owner: alice });
      await s.membership.add('busy', bob, 'member', 0);
      const stored = await Promise.all(
        Array.from({ length: UNREAD_COUNT_MAX + 1 }, (_, i) =>
          s.messages.append({ room: 'busy', user: bob, text: `@alice ${i}`, clientId: `busy-${i}` }),
        ),
      );
      for (const { message } of stored) await s.mention(alice.id, 'busy', message.seq);
      expect((await s.membership.roomsOf(alice.id, 'busy'))[0]).toMatchObject({
        unread: UNREAD_COUNT_MAX,
        mentions: UNREAD_COUNT_MAX,
      });
    });

    it('should open one DM per pair, from either side, with the other person in it', async () => {
      expect(await s.rooms.openDirect('dm-ab', alice, bob)).toBe(true);
      expect(await s.rooms.openDirect('dm-ab', bob, alice)).toBe(false);
      expect((await s.rooms.find('dm-ab'))?.memberCount).toBe(2);
      const [dm] = await s.membership.roomsOf(bob.id, 'dm-ab');
      expect(dm).toMatchObject({ kind: 'dm', role: 'member', dmWith: alice });
      // One who left is back when it is opened again.
      await s.membership.remove('dm-ab', bob.id);
      await s.rooms.openDirect('dm-ab', alice, bob);
      expect((await s.rooms.find('dm-ab'))?.memberCount).toBe(2);
    });

    it('should page members by name and list the public directory by prefix', async () => {
      await s.rooms.create('team-a', { kind: 'public', owner: alice });
      await s.rooms.create('team-b', { kind: 'private', owner: alice });
      await s.rooms.create('other', { kind: 'public', owner: alice });
      await s.membership.add('team-a', bob, 'member', 0);
      await s.membership.add('team-a', gina, 'member', 0);
      const first = await s.membership.members('team-a', { limit: 2 });
      expect(first.map((m) => m.user.name)).toEqual(['Gina', 'alice']);
      const last = first.at(-1)!;
      const rest = await s.membership.members('team-a', { after: [last.user.name, last.user.id], limit: 2 });
      expect(rest.map((m) => m.user.name)).toEqual(['bob']);

      const listed = await s.rooms.list({ limit: 10, prefix: 'team', kind: 'public' });
      expect(listed.map((room) => room.name)).toEqual(['team-a']);
      expect(listed[0]).toMatchObject({ kind: 'public', memberCount: 3 });
    });

    it('should count the owners of a room', async () => {
      await s.rooms.create('crew', { kind: 'private', owner: alice });
      expect(await s.membership.owners('crew')).toBe(1);
      await s.membership.add('crew', bob, 'member', 0);
      expect(await s.membership.owners('crew')).toBe(1);
      await s.membership.setRole('crew', bob.id, 'owner');
      expect(await s.membership.owners('crew')).toBe(2);
      await s.membership.remove('crew', alice.id);
      expect(await s.membership.owners('crew')).toBe(1);
      expect(await s.membership.owners('no-such-room')).toBe(0);
    });

    it('should set roles, mutes and topics, and resolve mentions of account members only', async () => {
      await s.rooms.create('r', { kind: 'public', owner: alice });
      await s.membership.add('r', bob, 'member', 0);
      await s.membership.add('r', { ...gina, name: 'carol' }, 'member', 0);
      expect(await s.membership.setRole('r', bob.id, 'moderator')).toBe(true);
      expect(await s.membership.setRole('r', 'u-nobody', 'moderator')).toBe(false);
      expect(await s.membership.setMute('r', bob.id, '2999-01-01T00:00:00.000Z')).toBe(true);
      expect(await s.membership.member('r', bob.id)).toMatchObject({
        role: 'moderator',
        mutedUntil: '2999-01-01T00:00:00.000Z',
      });
      expect(await s.rooms.setTopic('r', 'hello')).toBe(true);
      expect((await s.rooms.find('r'))?.topic).toBe('hello');
      expect((await s.membership.membersNamed('r', ['BOB', 'carol', 'nobody'])).sort()).toEqual([bob.id]);
    });
  });
}
