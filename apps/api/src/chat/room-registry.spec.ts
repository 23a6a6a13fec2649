import { afterEach, describe, expect, it } from '@jest/globals';
import type { ServerEventName } from '@chat/contracts';
import type { LogEntry } from '../storage/message-store.js';
import type { BroadcastFrame } from '../ws/broadcast-frame.js';
import { textFramePayload } from '../ws/text-frame.js';
import type { WireProtocol } from '../ws/wire-protocol.js';
import type { RoomMember } from '../ws/client-connection.js';
import { MemoryMessageStore } from '../storage/memory/memory-message-store.js';
import { storeRangeReader } from './read-range.js';
import { RoomRegistry } from './room-registry.js';

/** Records the bytes it is given, as a socket would. */
class FakeClient implements RoomMember {
  readonly rooms = new Set<string>();
  readonly received: Buffer[] = [];
  readonly isOpen = true;
  readonly remoteAddress = '127.0.0.1';
  readonly user;
  constructor(
    readonly id: string,
    readonly protocol: WireProtocol = 'chat.v1',
  ) {
    this.user = { id: `u-${id}`, name: id, guest: true };
  }
  send(_event: ServerEventName): void {}
  sendError(): void {}
  sendSimple(): void {}
  rename(): void {}
  close(): void {}
  deliver(frame: BroadcastFrame): void {
    const bytes = frame.wireBytesFor(this.protocol);
    if (bytes) this.received.push(bytes);
  }
  seqs(): number[] {
    return this.received.map((bytes) => {
      const parsed = JSON.parse(textFramePayload(bytes).toString()) as {
        data?: { seq: number };
        seq?: number;
      };
      return parsed.data?.seq ?? parsed.seq ?? -1;
    });
  }
}

const message = (seq: number, room = 'general'): LogEntry => ({
  event: 'message',
  data: {
    id: `m${seq}`,
    room,
    seq,
    user: { id: 'u', name: 'U', guest: false },
    text: `text ${seq}`,
    time: '2026-01-01T00:00:00.000Z',
  },
});

const edit = (seq: number, room = 'general'): LogEntry => ({
  event: 'message.edited',
  data: {
    room,
    seq,
    id: 'm1',
    text: `edit ${seq}`,
    editedAt: '2026-01-01T00:00:01.000Z',
    user: { id: 'u', name: 'U', guest: false },
  },
});

describe(RoomRegistry.name, () => {
  const registries: RoomRegistry[] = [];
  const newRegistry = () => {
    const registry = new RoomRegistry({ read: storeRangeReader(new MemoryMessageStore()) });
    registries.push(registry);
    return registry;
  };
  afterEach(() => {
    for (const registry of registries.splice(0)) registry.onApplicationShutdown();
  });

  it('should encode a broadcast once per protocol and share the bytes between recipients', () => {
    const sut = newRegistry();
    const a = new FakeClient('a');
    const b = new FakeClient('b');
    const s = new FakeClient('s', 'simple');
    sut.addLive('general', a);
    sut.addLive('general', b);
    sut.addLive('general', s);

    sut.deliver(message(1));

    expect(a.received[0]).toBe(b.received[0]);
    expect(JSON.parse(textFramePayload(s.received[0]!).toString())).toMatchObject({
      name: 'U',
      message: 'text 1',
    });
  });

  it('should hold back live messages while a member catches up, then release only newer ones', () => {
    const sut = newRegistry();
    const joining = new FakeClient('j');
    sut.addCatchingUp('general', joining);

    sut.deliver(message(4));
    sut.deliver(message(5));
    sut.deliver(message(6));
    expect(joining.received).toHaveLength(0);

    // The join's read already contained messages up to 5.
    sut.goLive('general', joining, 5);
    expect(joining.seqs()).toEqual([6]);
    sut.deliver(message(7));
    expect(joining.seqs()).toEqual([6, 7]);
  });

  it("should send a removed user nothing of the room after the log's entry that removed them", () => {
    const sut = newRegistry();
    const kicked = new FakeClient('k');
    const joining = new FakeClient('k2');
    const stays = new FakeClient('s');
    for (const live of [kicked, stays]) {
      sut.addCatchingUp('general', live);
      sut.goLive('general', live, 0);
    }
    sut.addCatchingUp('general', joining); // another removed user, still reading their page
    const removal = (seq: number, user: FakeClient): LogEntry => ({
      event: 'member',
      data: { room: 'general', seq, user: user.user, reason: 'kicked' },
    });
    sut.deliver(message(1));
    sut.deliver(removal(2, kicked));
    sut.deliver(removal(3, joining));
    // Posted after the removals, possibly on another instance: it may arrive before the bus's kick.
    sut.deliver(message(4));
    sut.goLive('general', joining, 1);
    expect(kicked.seqs()).toEqual([1, 2]);
    expect(joining.seqs()).toEqual([2, 3]);
    expect(stays.seqs()).toEqual([1, 2, 3, 4]);
  });

  it('should never deliver a seq twice or out of order to a member', () => {
    const sut = newRegistry();
    const a = new FakeClient('a');
    sut.addLive('general', a);
    for (const seq of [1, 2, 2, 1, 3]) sut.deliver(message(seq));
    expect(a.seqs()).toEqual([1, 2, 3]);
  });

  it('should forget a client everywhere on removal', () => {
    const sut = newRegistry();
    const a = new FakeClient('a');
    sut.addLive('general', a);
    sut.addLive('other', a);
    sut.removeEverywhere(a);
    sut.deliver(message(1));
    sut.deliver(message(1, 'other'));
    expect(a.received).toHaveLength(0);
    expect(a.rooms.size).toBe(0);
    expect(sut.isMember('general', a)).toBe(false);
  });

  it('should order changes with messages, send them to chat.v1 members and skip simple ones', () => {
    const sut = newRegistry();
    const v1 = new FakeClient('a');
    const s = new FakeClient('s', 'simple');
    sut.addLive('general', v1);
    sut.addLive('general', s);
    for (const entry of [message(1), edit(3), message(2), edit(2), message(4)]) sut.deliver(entry);
    expect(v1.seqs()).toEqual([1, 2, 3, 4]);
    const events = v1.received.map(
      (bytes) => (JSON.parse(textFramePayload(bytes).toString()) as { event: string }).event,
    );
    expect(events).toEqual(['message', 'message', 'message.edited', 'message']);
    // The simple protocol knows messages only: it sees 1, 2 and 4, and never an edit.
    expect(s.received).toHaveLength(3);
  });

  it('should not send messages of other rooms to simple clients', () => {
    const sut = newRegistry();
    const s = new FakeClient('s', 'simple');
    sut.addLive('other', s);
    sut.deliver(message(1, 'other'));
    expect(s.received).toHaveLength(0);
  });
});

describe(`${RoomRegistry.name} with several instances`, () => {
  it('should put other instances’ messages back in order and read lost ones from the store', async () => {
    const store = new MemoryMessageStore();
    const sut = new RoomRegistry({ read: storeRangeReader(store), holdMs: 20 });
    const member = new FakeClient('a');
    sut.addCatchingUp('general', member);
    sut.goLive('general', member, 0);
    const stored: LogEntry[] = [];
    for (let i = 1; i <= 5; i++) {
      if (i === 3) {
        // A change from another instance is an entry of the log like a message: lost and read back alike.
        const id = stored[0]!.data.seq === 1 ? (stored[0]!.data as { id: string }).id : '';
        const change = await store.appendChange({
          type: 'edit',
          room: 'general',
          user: member.user,
          clientId: 'e3',
          id,
          text: 'e',
        });
        if (change.status !== 'applied') throw new Error(change.status);
        stored.push(change.change);
        continue;
      }
      const draft = { room: 'general', user: member.user, text: `t${i}`, clientId: `c${i}` };
      stored.push({ event: 'message', data: (await store.append(draft)).message });
    }

    sut.deliver(stored[1]!); // 2 overtook 1 on its way from another instance
    sut.deliver(stored[0]!);
    sut.deliver(stored[4]!); // 3 and 4 were lost (Redis was down)
    expect(member.seqs()).toEqual([1, 2]);
    const deadline = Date.now() + 2000;
    while (member.seqs().length < 5 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    expect(member.seqs()).toEqual([1, 2, 3, 4, 5]);
    sut.onApplicationShutdown();
  });
});

describe(`${RoomRegistry.name} hearing a room late`, () => {
  const registries: RoomRegistry[] = [];
  afterEach(() => {
    for (const registry of registries.splice(0)) registry.onApplicationShutdown();
  });
  const setUp = async (stored: number) => {
    const store = new MemoryMessageStore();
    const opened: string[] = [];
    const closed: string[] = [];
    const sut = new RoomRegistry({
      read: storeRangeReader(store),
      holdMs: 20,
      opened: (room) => opened.push(room),
      closed: (room) => closed.push(room),
    });
    registries.push(sut);
    const user = { id: 'u', name: 'U', guest: false };
    const entries: LogEntry[] = [];
    const append = async () => {
      const i = entries.length + 1;
      const { message } = await store.append({ room: 'general', user, text: `t${i}`, clientId: `c${i}` });
      entries.push({ event: 'message', data: message });
    };
    for (let i = 0; i < stored; i++) await append();
    return { sut, opened, closed, entries, append };
  };
  const until = async (condition: () => boolean) => {
    const deadline = Date.now() + 2000;
    while (!condition() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
  };

  it('should tell when a room gets its first member here and loses its last', async () => {
    const { sut, opened, closed } = await setUp(0);
    const a = new FakeClient('a');
    const b = new FakeClient('b');
    sut.addLive('general', a);
    sut.addLive('general', b);
    sut.remove('general', a);
    expect([opened, closed]).toEqual([['general'], []]);
    sut.remove('general', b);
    expect(closed).toEqual(['general']);
  });

  it('should read what was published before the room was heard, without waiting for a next entry', async () => {
    const { sut, append } = await setUp(0);
    const member = new FakeClient('a');
    sut.addCatchingUp('general', member);
    sut.goLive('general', member, 0); // the join's read saw nothing
    // Stored and published by another instance before this one's subscription was confirmed:
    await append();
    await append();
    sut.catchUp('general'); // the bus: now heard
    await until(() => member.seqs().length === 2);
    expect(member.seqs()).toEqual([1, 2]);
  });

  it('should repair the gap once the start is known when the room was heard during the join', async () => {
    const { sut, append, entries } = await setUp(2);
    const member = new FakeClient('a');
    sut.addCatchingUp('general', member);
    sut.catchUp('general'); // heard while the join still reads
    await append(); // 3: missed (published before the subscription took)
    sut.goLive('general', member, 2); // the join's read ended at 2
    await until(() => member.seqs().length === 1);
    await append(); // 4 arrives live
    sut.deliver(entries[3]!);
    expect(member.seqs()).toEqual([3, 4]);
  });

  it('should repair a gap the first live entry after subscribing shows', async () => {
    const { sut, append, entries } = await setUp(0);
    const member = new FakeClient('a');
    sut.addCatchingUp('general', member);
    sut.goLive('general', member, 0);
    await append(); // 1: published before the subscription took
    await append(); // 2: the first heard
    sut.deliver(entries[1]!);
    await until(() => member.seqs().length === 2);
    expect(member.seqs()).toEqual([1, 2]);
  });

  it('should ignore a late hearing of a room with no members here', async () => {
    const { sut, append } = await setUp(1);
    await append();
    expect(() => sut.catchUp('general')).not.toThrow();
    expect(sut.hasMembers('general')).toBe(false);
  });
});
