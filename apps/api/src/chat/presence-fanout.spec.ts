import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import type { PresenceDiff, ServerEventName, User } from '@chat/contracts';
import { AppConfigService } from '../config/app-config.service.js';
import { loadConfig } from '../config/load-config.js';
import type { PresenceService } from '../presence/presence.service.js';
import { MemoryMessageStore } from '../storage/memory/memory-message-store.js';
import type { BroadcastFrame } from '../ws/broadcast-frame.js';
import { textFramePayload } from '../ws/text-frame.js';
import type { RoomMember } from '../ws/client-connection.js';
import {
  countInterval,
  PRESENCE_BATCH_MS,
  PRESENCE_COUNT_EVERY_MS,
  PresenceFanout,
} from './presence-fanout.js';
import { storeRangeReader } from './read-range.js';
import { RoomRegistry } from './room-registry.js';

const ROOM = 'general';
/** Rooms with more users online than this get counts. */
const LIST_MAX = 60;
const userOf = (name: string): User => ({ id: `u-${name}`, name, guest: true });

/** Records the frames it is given, parsed, and the bytes, to tell shared encodings apart. */
class FakeClient implements RoomMember {
  readonly rooms = new Set<string>();
  readonly frames: { event: string; data: unknown }[] = [];
  readonly bytes: Buffer[] = [];
  readonly isOpen = true;
  readonly protocol = 'chat.v1' as const;
  readonly remoteAddress = '127.0.0.1';
  constructor(
    readonly id: string,
    readonly user: User = userOf(id),
  ) {}
  send(_event: ServerEventName): void {}
  sendError(): void {}
  sendSimple(): void {}
  rename(): void {}
  close(): void {}
  deliver(frame: BroadcastFrame): void {
    const bytes = frame.wireBytesFor(this.protocol)!;
    this.bytes.push(bytes);
    this.frames.push(JSON.parse(textFramePayload(bytes).toString()) as { event: string; data: unknown });
  }
  /** The frames of `event` received so far; forgets all frames. */
  take(event: string): unknown[] {
    const taken = this.frames.filter((f) => f.event === event).map((f) => f.data);
    this.frames.splice(0);
    return taken;
  }
  clear(): void {
    this.frames.splice(0);
  }
}

/** Presence as PresenceService would report it: who is in the room, and the changes. */
class FakePresence {
  readonly here = new Map<string, User>();
  listener: ((diff: PresenceDiff) => void) | undefined;
  /** Set while the room's presence is being read from the store. */
  pending: Promise<void> | undefined;
  loading(): Promise<void> | undefined {
    return this.pending;
  }
  users(): User[] {
    return [...this.here.values()];
  }
  onlineCount(): number {
    return this.here.size;
  }
  userIn(_room: string, userId: string): User | undefined {
    return this.here.get(userId);
  }
  enter(user: User): void {
    this.here.set(user.id, user);
    this.listener?.({ room: ROOM, joined: [user], left: [] });
  }
  exit(user: User): void {
    this.here.delete(user.id);
    this.listener?.({ room: ROOM, joined: [], left: [user] });
  }
}

describe(PresenceFanout.name, () => {
  let registry: RoomRegistry;
  let presence: FakePresence;
  let sut: PresenceFanout;

  beforeEach(() => {
    jest.useFakeTimers();
    registry = new RoomRegistry({ read: storeRangeReader(new MemoryMessageStore()) });
    presence = new FakePresence();
    sut = new PresenceFanout(
      registry,
      presence as unknown as PresenceService,
      new AppConfigService(loadConfig({ PRESENCE_LIST_MAX: String(LIST_MAX) })),
    );
    presence.listener = (diff) => sut.changed(diff);
  });
  afterEach(() => {
    sut.onApplicationShutdown();
    registry.onApplicationShutdown();
    jest.useRealTimers();
  });

  /** What ChatService.join does once the member's history has been sent. */
  const join = (client: FakeClient) => {
    registry.addCatchingUp(ROOM, client);
    registry.goLive(ROOM, client, 0);
    if (!presence.here.has(client.user.id)) presence.enter(client.user);
    sut.sendList(ROOM, client);
  };
  const endOfTick = () => jest.advanceTimersByTime(0);
  const endOfWindow = () => jest.advanceTimersByTime(PRESENCE_BATCH_MS);

  it('should answer a join in a quiet room at the end of the tick, with the list to the joiner and a diff to the others', () => {
    const alice = new FakeClient('alice');
    join(alice);
    endOfTick();
    expect(alice.take('presence')).toEqual([{ room: ROOM, users: [alice.user] }]);
    endOfWindow();

    const bob = new FakeClient('bob');
    join(bob);
    endOfTick();
    expect(bob.frames).toEqual([{ event: 'presence', data: { room: ROOM, users: [alice.user, bob.user] } }]);
    expect(alice.frames).toEqual([
      { event: 'presence.diff', data: { room: ROOM, joined: [bob.user], left: [] } },
    ]);
  });

  it('should hold a joiner’s list until the room’s presence has been read from the store, and send it with what the read found', async () => {
    let loaded!: () => void;
    presence.pending = new Promise<void>((resolve) => (loaded = resolve));
    const alice = new FakeClient('alice');
    join(alice);
    endOfTick();
    expect(alice.frames).toEqual([]);

    const carol = { id: 'carol', name: 'carol', guest: true }; // on another instance, read now
    presence.enter(carol);
    presence.pending = undefined;
    loaded();
    await Promise.resolve(); // the read's end reaches the fanout
    await Promise.resolve();
    endOfWindow();
    expect(alice.frames).toEqual([{ event: 'presence', data: { room: ROOM, users: [alice.user, carol] } }]);
  });

  it('should gather the joins of one window into one diff per member and one list for all joiners', () => {
    const alice = new FakeClient('alice');
    join(alice);
    endOfTick();
    alice.take('presence');

    const newcomers = Array.from({ length: 50 }, (_, i) => new FakeClient(`n${i}`));
    for (const client of newcomers) join(client);
    endOfTick();
    expect(alice.frames).toEqual([]); // the window that the first join opened is still running
    endOfWindow();

    expect(alice.take('presence.diff')).toEqual([
      { room: ROOM, joined: newcomers.map((c) => c.user), left: [] },
    ]);
    for (const client of newcomers) {
      expect(client.frames).toHaveLength(1);
      expect(client.frames[0]!.event).toBe('presence');
      expect(client.bytes[0]).toBe(newcomers[0]!.bytes[0]); // encoded once
    }
  });

  it('should not mention a user who came and went within one window', () => {
    const alice = new FakeClient('alice');
    join(alice);
    endOfTick();
    alice.take('presence');

    const quick = new FakeClient('quick');
    join(quick);
    registry.remove(ROOM, quick);
    presence.exit(quick.user);
    endOfTick();
    endOfWindow();
    expect(alice.frames).toEqual([]);
    expect(quick.frames).toEqual([]); // it left before its list went out
  });

  it('should send a rename as the old name left and the new one joined, but not to the renamed user', () => {
    const alice = new FakeClient('alice');
    const bob = new FakeClient('bob');
    join(alice);
    join(bob);
    endOfTick();
    endOfWindow();
    alice.clear();
    bob.clear();

    const renamed = { ...bob.user, name: 'Robert' };
    presence.exit(bob.user);
    presence.enter(renamed);
    endOfWindow();
    expect(alice.take('presence.diff')).toEqual([{ room: ROOM, joined: [renamed], left: [bob.user] }]);
    expect(bob.frames).toEqual([]);
  });

  it('should give other members a diff without themselves when they are named in it', () => {
    const alice = new FakeClient('alice');
    join(alice);
    endOfTick();
    endOfWindow();
    alice.clear();

    // Alice renames while Carol joins: Alice hears of Carol only.
    const carol = new FakeClient('carol');
    presence.exit(alice.user);
    presence.enter({ ...alice.user, name: 'Ally' });
    join(carol);
    endOfWindow();
    expect(alice.take('presence.diff')).toEqual([{ room: ROOM, joined: [carol.user], left: [] }]);
  });

  it('should stop batching, and keep no state, once a window passes without changes', () => {
    const alice = new FakeClient('alice');
    join(alice);
    endOfTick();
    endOfWindow();
    endOfWindow();
    expect(jest.getTimerCount()).toBe(0);
  });

  describe('in a big room', () => {
    /** Fills the room past LIST_MAX and lets the batching go quiet; returns the members. */
    const fill = (count: number) => {
      const clients = Array.from({ length: count }, (_, i) => new FakeClient(`m${i}`));
      for (const client of clients) join(client);
      endOfTick();
      endOfWindow();
      jest.advanceTimersByTime(PRESENCE_COUNT_EVERY_MS);
      endOfWindow();
      for (const client of clients) client.clear();
      return clients;
    };

    it('should give a joiner the count, not the list, and nobody a diff', () => {
      const members = fill(LIST_MAX + 5);
      jest.advanceTimersByTime(PRESENCE_COUNT_EVERY_MS);
      const late = new FakeClient('late');
      join(late);
      endOfTick();
      expect(late.frames).toEqual([{ event: 'presence.count', data: { room: ROOM, online: LIST_MAX + 6 } }]);
      expect(members[0]!.take('presence.count')).toEqual([{ room: ROOM, online: LIST_MAX + 6 }]);
      expect(members[0]!.frames.filter((f) => f.event !== 'presence.count')).toEqual([]);
    });

    it('should tell members the count at most once a second, however many join', () => {
      const members = fill(LIST_MAX + 1);
      jest.advanceTimersByTime(PRESENCE_COUNT_EVERY_MS);
      for (let i = 0; i < 30; i++) {
        join(new FakeClient(`j${i}`));
        jest.advanceTimersByTime(PRESENCE_BATCH_MS);
      }
      // 3 s of joins: the first at once, then one per second.
      const counts = members[0]!.take('presence.count') as { online: number }[];
      expect(counts.length).toBeGreaterThanOrEqual(3);
      expect(counts.length).toBeLessThanOrEqual(4);
      jest.advanceTimersByTime(PRESENCE_COUNT_EVERY_MS + PRESENCE_BATCH_MS);
      const last = [...counts, ...(members[0]!.take('presence.count') as { online: number }[])].at(-1);
      expect(last).toEqual({ room: ROOM, online: LIST_MAX + 31 });
    });

    it('should send the count to every member when the room becomes big, and the list when it is small again', () => {
      const members = fill(LIST_MAX);
      expect(members[0]!.frames).toEqual([]);
      const one = new FakeClient('one-too-many');
      join(one);
      endOfWindow();
      expect(members[0]!.take('presence.count')).toEqual([{ room: ROOM, online: LIST_MAX + 1 }]);
      expect(one.take('presence.count')).toEqual([{ room: ROOM, online: LIST_MAX + 1 }]);

      // Down to half of the maximum: still big until then, the list to everyone at that point.
      const leaving = members.slice(0, LIST_MAX / 2 + 1);
      for (const client of leaving) {
        registry.remove(ROOM, client);
        presence.exit(client.user);
      }
      jest.advanceTimersByTime(PRESENCE_COUNT_EVERY_MS + PRESENCE_BATCH_MS);
      const lists = one.take('presence') as { users: User[] }[];
      expect(lists).toHaveLength(1);
      expect(lists[0]!.users).toHaveLength(LIST_MAX / 2);
      expect(members.at(-1)!.take('presence')).toHaveLength(1);
    });

    it('should not send a diff to members holding a count when a join comes in the tick the room turns small', () => {
      const members = fill(LIST_MAX + 1);
      for (const client of members.slice(0, LIST_MAX / 2 + 2)) {
        registry.remove(ROOM, client);
        presence.exit(client.user);
      }
      const late = new FakeClient('late');
      join(late); // same tick: the batch has not run yet
      jest.advanceTimersByTime(PRESENCE_COUNT_EVERY_MS + PRESENCE_BATCH_MS);
      const stayed = members.at(-1)!;
      const events = stayed.frames.map((f) => f.event);
      expect(events).not.toContain('presence.diff');
      expect(events.filter((e) => e === 'presence')).toHaveLength(1);
      const lists = late.frames.filter((f) => f.event === 'presence');
      expect(lists).toHaveLength(1);
      expect((lists[0]!.data as { users: User[] }).users).toContainEqual(late.user);
    });
  });
});

describe(countInterval.name, () => {
  it('should wait a second up to a thousand online, then as many ms as there are online, up to 10 s', () => {
    expect(countInterval(150)).toBe(1000);
    expect(countInterval(4321)).toBe(4321);
    expect(countInterval(250_000)).toBe(10_000);
  });
});
