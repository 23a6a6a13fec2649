import { describe, expect, it, jest } from '@jest/globals';
import type { User } from '@chat/contracts';
import { LocalBus } from '../../bus/local/local-bus.js';
import type { MembershipStore, RoomAccess } from '../../storage/membership-store.js';
import { MembershipPermissions } from './membership-permissions.js';

const bob: User = { id: 'u-bob', name: 'bob', guest: false };
const member = (mutedUntil: string | null = null): RoomAccess => ({
  kind: 'private',
  member: { role: 'member', mutedUntil, readSeq: 0 },
  banned: false,
});

/** A store whose answer the test sets, counting reads; `hold` makes the next read wait. */
function fakeStore() {
  const state = {
    access: member() as RoomAccess | null,
    reads: 0,
    release: undefined as (() => void) | undefined,
  };
  let holdNext = false;
  const store = {
    access: async () => {
      state.reads++;
      const answer = state.access;
      if (holdNext) {
        holdNext = false;
        await new Promise<void>((resolve) => (state.release = resolve));
      }
      return answer;
    },
  } as unknown as MembershipStore;
  return { store, state, hold: () => (holdNext = true) };
}

const removal = (reason: 'kicked' | 'muted') => ({
  type: 'change' as const,
  change: { event: 'member' as const, data: { room: 'crew', seq: 9, user: bob, reason } },
});

describe(MembershipPermissions.name, () => {
  it('should read a member’s standing once for many sends, and again after the log says it changed', async () => {
    const { store, state } = fakeStore();
    const bus = new LocalBus();
    const sut = new MembershipPermissions(store, bus);
    await sut.assertCanWrite('crew', bob);
    await sut.assertCanWrite('crew', bob);
    expect(state.reads).toBe(1);

    state.access = member('9999-12-31T23:59:59.999Z');
    bus.publish(removal('muted'));
    await expect(sut.assertCanWrite('crew', bob)).rejects.toThrow('you are muted');
    expect(state.reads).toBe(2);

    state.access = { kind: 'private', member: null, banned: false };
    bus.publish({ type: 'kick', room: 'crew', userId: bob.id, removal: 'kicked' });
    await expect(sut.assertCanWrite('crew', bob)).rejects.toThrow('does not exist, or is private');
    // A refusal is never remembered: it is read each time.
    await expect(sut.assertCanWrite('crew', bob)).rejects.toThrow();
    expect(state.reads).toBe(4);
    sut.onModuleDestroy();
  });

  it('should not remember a standing read before a removal that arrived during the read', async () => {
    const { store, state, hold } = fakeStore();
    const bus = new LocalBus();
    const sut = new MembershipPermissions(store, bus);
    hold();
    const racing = sut.assertCanWrite('crew', bob); // reads "member"...
    await Promise.resolve();
    state.access = { kind: 'private', member: null, banned: true };
    bus.publish(removal('kicked')); // ...while the ban commits and is heard
    state.release?.();
    await racing; // the send that raced the ban passes, as it would without a cache
    await expect(sut.assertCanWrite('crew', bob)).rejects.toThrow('banned');
    sut.onModuleDestroy();
  });

  it('should let a remembered mute end by the clock, without a change in the log', async () => {
    jest.useFakeTimers({ now: Date.parse('2026-12-01T12:00:00.000Z') });
    try {
      const { store, state } = fakeStore();
      const sut = new MembershipPermissions(store, new LocalBus());
      state.access = member('2026-12-01T12:00:01.000Z');
      await expect(sut.assertCanWrite('crew', bob)).rejects.toThrow('you are muted');
      jest.setSystemTime(Date.parse('2026-12-01T12:00:02.000Z'));
      await sut.assertCanWrite('crew', bob);
      expect(state.reads).toBe(1);
      sut.onModuleDestroy();
    } finally {
      jest.useRealTimers();
    }
  });
});
