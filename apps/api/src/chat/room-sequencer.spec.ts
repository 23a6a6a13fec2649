import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import type { LogEntry } from '../storage/message-store.js';
import { MemoryMessageStore } from '../storage/memory/memory-message-store.js';
import { storeRangeReader } from './read-range.js';
import { RoomSequencer, type RangeReader } from './room-sequencer.js';

const HOLD_MS = 200;
const user = { id: 'u', name: 'U', guest: false };

/**
 * A store with `count` log entries in `room`, and the entries themselves: messages, and every
 * second one an edit or a reaction, so that gaps of every kind are ordered and repaired alike.
 */
async function storeWith(
  count: number,
  room = 'r',
): Promise<{ store: MemoryMessageStore; messages: LogEntry[] }> {
  const store = new MemoryMessageStore();
  const messages: LogEntry[] = [];
  let first: string | undefined;
  for (let i = 1; i <= count; i++) {
    if (first === undefined || i % 2 === 1) {
      const { message } = await store.append({ room, user, text: `t${i}`, clientId: `c${i}` });
      first ??= message.id;
      messages.push({ event: 'message', data: message });
      continue;
    }
    const draft =
      i % 4 === 0
        ? { type: 'edit' as const, room, user, clientId: `c${i}`, id: first, text: `e${i}` }
        : { type: 'react' as const, room, user, clientId: `c${i}`, id: first, emoji: '👍', on: i % 3 === 0 };
    const result = await store.appendChange(draft);
    if (result.status !== 'applied') throw new Error(result.status);
    messages.push(result.change);
  }
  expect(messages.map((entry) => entry.data.seq)).toEqual(Array.from({ length: count }, (_, i) => i + 1));
  return { store, messages };
}

describe(RoomSequencer.name, () => {
  let emitted: number[];
  let reads: { after: number; before: number | undefined }[];
  let waiting: boolean;
  let errors: unknown[];
  let sut: RoomSequencer;

  const build = (read: RangeReader) => {
    sut = new RoomSequencer({
      emit: (entry) => emitted.push(entry.data.seq),
      read: (room, after, before) => {
        reads.push({ after, before });
        return read(room, after, before);
      },
      waitingForStart: () => waiting,
      holdMs: HOLD_MS,
      onReadError: (_room, error) => errors.push(error),
    });
  };

  beforeEach(() => {
    jest.useFakeTimers();
    emitted = [];
    reads = [];
    errors = [];
    waiting = false;
  });
  afterEach(() => {
    sut.close();
    jest.useRealTimers();
  });

  it('should pass messages that arrive in order straight through, without reading', async () => {
    const { store, messages } = await storeWith(3);
    build(storeRangeReader(store));
    sut.anchor('r', 0);
    for (const message of messages) sut.accept(message);
    expect(emitted).toEqual([1, 2, 3]);
    await jest.advanceTimersByTimeAsync(HOLD_MS * 2);
    expect(reads).toEqual([]);
  });

  it('should hold a message that came early until the ones before it arrive', async () => {
    const { store, messages } = await storeWith(4);
    build(storeRangeReader(store));
    sut.anchor('r', 1);
    sut.accept(messages[3]!);
    sut.accept(messages[2]!);
    expect(emitted).toEqual([]);
    await jest.advanceTimersByTimeAsync(HOLD_MS / 2);
    sut.accept(messages[1]!);
    expect(emitted).toEqual([2, 3, 4]);
    await jest.advanceTimersByTimeAsync(HOLD_MS * 2);
    expect(reads).toEqual([]);
  });

  it('should read a gap that does not fill within the hold time, and deliver it in order', async () => {
    const { store, messages } = await storeWith(6);
    build(storeRangeReader(store));
    sut.anchor('r', 1);
    sut.accept(messages[4]!); // 5; 2-4 were lost
    sut.accept(messages[5]!);
    await jest.advanceTimersByTimeAsync(HOLD_MS - 1);
    expect(emitted).toEqual([]);
    await jest.advanceTimersByTimeAsync(1);
    expect(reads).toEqual([{ after: 1, before: 5 }]);
    expect(emitted).toEqual([2, 3, 4, 5, 6]);
  });

  it('should drop repeats and messages older than what it has emitted', async () => {
    const { store, messages } = await storeWith(3);
    build(storeRangeReader(store));
    sut.anchor('r', 0);
    for (const index of [0, 1, 1, 0, 2, 2]) sut.accept(messages[index]!);
    expect(emitted).toEqual([1, 2, 3]);
  });

  it('should read everything after its position on catch-up, even with nothing held', async () => {
    const { store, messages } = await storeWith(2);
    build(storeRangeReader(store));
    sut.anchor('r', 0);
    sut.accept(messages[0]!);
    // While the bus was down, others posted 2..5.
    for (let i = 3; i <= 5; i++) await store.append({ room: 'r', user, text: `t${i}`, clientId: `c${i}` });
    sut.catchUp();
    await jest.advanceTimersByTimeAsync(0);
    expect(reads).toEqual([{ after: 1, before: undefined }]);
    expect(emitted).toEqual([1, 2, 3, 4, 5]);
  });

  it('should fetch what a member’s read proved stored if it does not arrive live', async () => {
    const { store } = await storeWith(3);
    build(storeRangeReader(store));
    sut.anchor('r', 1);
    sut.anchor('r', 3); // a second member read up to 3; 2 and 3 never came over the bus
    await jest.advanceTimersByTimeAsync(HOLD_MS);
    expect(reads).toEqual([{ after: 1, before: 4 }]);
    expect(emitted).toEqual([2, 3]);
  });

  it('should wait for joining members and start at the lowest point they read', async () => {
    const { store, messages } = await storeWith(5);
    build(storeRangeReader(store));
    waiting = true;
    for (const index of [4, 2, 3]) sut.accept(messages[index]!);
    sut.anchor('r', 4); // the first joiner read up to 4...
    expect(emitted).toEqual([]);
    waiting = false;
    sut.anchor('r', 2); // ...the second, which started earlier, only up to 2
    expect(emitted).toEqual([3, 4, 5]);
  });

  it('should start at the first message when nobody is joining (live-only members)', async () => {
    const { store, messages } = await storeWith(8);
    build(storeRangeReader(store));
    sut.accept(messages[6]!);
    sut.accept(messages[7]!);
    expect(emitted).toEqual([7, 8]);
  });

  it('should skip a gap it cannot read, so that later messages still flow', async () => {
    const { messages } = await storeWith(4);
    build(async () => {
      throw new Error('database down');
    });
    sut.anchor('r', 1);
    sut.accept(messages[3]!);
    await jest.advanceTimersByTimeAsync(HOLD_MS);
    expect(errors).toHaveLength(1);
    expect(emitted).toEqual([4]);
  });

  it('should read a long gap backwards up to its limit and skip the older rest', async () => {
    const { store, messages } = await storeWith(30);
    build(storeRangeReader(store, 10));
    sut.anchor('r', 0);
    sut.accept(messages[29]!);
    await jest.advanceTimersByTimeAsync(HOLD_MS);
    expect(emitted).toEqual([20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30]);
  });

  it('should emit nothing for a room forgotten while its gap was being read', async () => {
    const { store, messages } = await storeWith(3);
    let release: () => void = () => undefined;
    build(async (room, after, before) => {
      await new Promise<void>((resolve) => (release = resolve));
      return storeRangeReader(store)(room, after, before);
    });
    sut.anchor('r', 0);
    sut.accept(messages[2]!);
    await jest.advanceTimersByTimeAsync(HOLD_MS);
    sut.forget('r');
    release();
    await jest.advanceTimersByTimeAsync(0);
    expect(emitted).toEqual([]);
  });

  it('should keep messages that arrive during a read and emit them after it, in order', async () => {
    const { store, messages } = await storeWith(6);
    let release: () => void = () => undefined;
    build(async (room, after, before) => {
      await new Promise<void>((resolve) => (release = resolve));
      return storeRangeReader(store)(room, after, before);
    });
    sut.anchor('r', 0);
    sut.accept(messages[2]!); // 3: 1 and 2 missing
    await jest.advanceTimersByTimeAsync(HOLD_MS);
    sut.accept(messages[5]!); // 6 arrives while reading
    sut.accept(messages[3]!);
    release();
    await jest.advanceTimersByTimeAsync(0);
    expect(emitted).toEqual([1, 2, 3, 4]);
    sut.accept(messages[4]!);
    expect(emitted).toEqual([1, 2, 3, 4, 5, 6]);
  });
});
