import { beforeEach, describe, expect, it } from '@jest/globals';
import type { PresenceDiff, User } from '@chat/contracts';
import { PresenceView } from './presence-view.js';

const alice: User = { id: 'a', name: 'Alice', guest: false };
const bob: User = { id: 'b', name: 'Bob', guest: true };

describe(PresenceView.name, () => {
  let diffs: PresenceDiff[];
  let sut: PresenceView;

  beforeEach(() => {
    diffs = [];
    sut = new PresenceView((diff) => diffs.push(diff));
  });

  it('should count a user once across instances, and let them leave with the last one', () => {
    sut.apply('i1', 'r', alice, 'joined');
    sut.apply('i2', 'r', alice, 'joined');
    sut.apply('i1', 'r', alice, 'left');
    expect(sut.users('r')).toEqual([alice]);
    sut.apply('i2', 'r', alice, 'left');
    expect(sut.onlineCount('r')).toBe(0);
    expect(diffs).toEqual([
      { room: 'r', joined: [alice], left: [] },
      { room: 'r', joined: [], left: [alice] },
    ]);
  });

  it('should ignore a leave it never saw the join of', () => {
    sut.apply('i1', 'r', alice, 'left');
    expect(diffs).toEqual([]);
    expect(sut.instances()).toEqual([]);
  });

  it('should make an instance hold exactly a snapshot, emitting only real changes', () => {
    sut.apply('i1', 'r', alice, 'joined');
    sut.apply('i1', 'r', bob, 'joined');
    sut.apply('i2', 'r', bob, 'joined');
    diffs = [];

    sut.reconcile('i1', [
      { room: 'r', user: alice },
      { room: 's', user: alice },
    ]);
    // Bob is still on i2, so nobody sees him go; Alice appears in s.
    expect(diffs).toEqual([{ room: 's', joined: [alice], left: [] }]);
    expect(sut.users('r')).toEqual([alice, bob]);
  });

  it('should drop a dead instance’s users everywhere with an empty snapshot', () => {
    sut.apply('dead', 'r', alice, 'joined');
    sut.apply('dead', 's', bob, 'joined');
    sut.apply('alive', 's', alice, 'joined');
    diffs = [];

    sut.reconcile('dead', []);
    expect(diffs).toEqual([
      { room: 'r', joined: [], left: [alice] },
      { room: 's', joined: [], left: [bob] },
    ]);
    expect(sut.instances()).toEqual(['alive']);
  });

  it('should change an instance’s version on every change, so that stale snapshots are detected', () => {
    const before = sut.version('i1');
    sut.apply('i1', 'r', alice, 'joined');
    expect(sut.version('i1')).not.toBe(before);
  });

  it('should keep nothing per room once everyone has left it, however many rooms were touched', () => {
    for (let room = 0; room < 1000; room++) {
      sut.apply('i1', `room-${room}`, alice, 'joined');
      sut.apply('i1', `room-${room}`, alice, 'left');
    }
    // Every map the view holds, whatever its name: what is left is per instance (its version).
    const held = Object.values(sut).filter((field): field is Map<unknown, unknown> => field instanceof Map);
    expect(held.length).toBeGreaterThan(0);
    expect(held.reduce((sum, map) => sum + map.size, 0)).toBeLessThanOrEqual(1);
    expect(sut.onlineCount('room-0')).toBe(0);
  });
});
