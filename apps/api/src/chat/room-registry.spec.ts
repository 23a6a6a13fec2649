import { describe, expect, it } from '@jest/globals';
import type { ChatMessage, ServerEventName } from '@chat/contracts';
import type { BroadcastFrame } from '../ws/broadcast-frame.js';
import type { WireProtocol } from '../ws/wire-protocol.js';
import type { ChatClient } from './chat-client.js';
import { RoomRegistry } from './room-registry.js';

/** Records the bytes it is given, as a socket would. */
class FakeClient implements ChatClient {
  readonly rooms = new Set<string>();
  readonly received: Buffer[] = [];
  readonly isOpen = true;
  readonly user;
  constructor(
    readonly id: string,
    readonly protocol: WireProtocol = 'chat.v1',
  ) {
    this.user = { id: `u-${id}`, name: id, guest: true };
  }
  send(_event: ServerEventName): void {}
  sendError(): void {}
  deliver(frame: BroadcastFrame): void {
    const bytes = frame.bytesFor(this.protocol);
    if (bytes) this.received.push(bytes);
  }
  seqs(): number[] {
    return this.received.map((bytes) => {
      const parsed = JSON.parse(bytes.toString()) as { data?: { seq: number }; seq?: number };
      return parsed.data?.seq ?? parsed.seq ?? -1;
    });
  }
}

const message = (seq: number, room = 'general'): ChatMessage => ({
  id: `m${seq}`,
  room,
  seq,
  user: { id: 'u', name: 'U', guest: false },
  text: `text ${seq}`,
  time: '2026-01-01T00:00:00.000Z',
});

describe(RoomRegistry.name, () => {
  it('should encode a broadcast once per protocol and share the bytes between recipients', () => {
    const sut = new RoomRegistry();
    const a = new FakeClient('a');
    const b = new FakeClient('b');
    const s = new FakeClient('s', 'simple');
    sut.addLive('general', a);
    sut.addLive('general', b);
    sut.addLive('general', s);

    sut.deliver(message(1));

    expect(a.received[0]).toBe(b.received[0]);
    expect(JSON.parse(s.received[0]!.toString())).toMatchObject({ name: 'U', message: 'text 1' });
  });

  it('should hold back live messages while a member catches up, then release only newer ones', () => {
    const sut = new RoomRegistry();
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

  it('should never deliver a seq twice or out of order to a member', () => {
    const sut = new RoomRegistry();
    const a = new FakeClient('a');
    sut.addLive('general', a);
    for (const seq of [1, 2, 2, 1, 3]) sut.deliver(message(seq));
    expect(a.seqs()).toEqual([1, 2, 3]);
  });

  it('should forget a client everywhere on removal', () => {
    const sut = new RoomRegistry();
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

  it('should not send messages of other rooms to simple clients', () => {
    const sut = new RoomRegistry();
    const s = new FakeClient('s', 'simple');
    sut.addLive('other', s);
    sut.deliver(message(1, 'other'));
    expect(s.received).toHaveLength(0);
  });
});
