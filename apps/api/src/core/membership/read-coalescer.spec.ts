import { describe, expect, it } from '@jest/globals';
import { ReadCoalescer, type PendingRead } from './read-coalescer.js';

/** The store as the coalescer sees it: every write recorded, markers only moving forward. */
function spyStore() {
  const writes: PendingRead[] = [];
  const transactions: number[] = [];
  const markers = new Map<string, number>();
  const write = (reads: PendingRead[]) => {
    transactions.push(reads.length);
    for (const read of reads) {
      writes.push(read);
      const key = `${read.userId}/${read.room}`;
      markers.set(key, Math.max(markers.get(key) ?? 0, read.seq));
    }
    return Promise.resolve();
  };
  return { writes, transactions, markers, write };
}

describe(ReadCoalescer.name, () => {
  it('should write a burst of 50 reads as one store write with the highest seq', async () => {
    const store = spyStore();
    const sut = new ReadCoalescer(store.write, 20);
    // Out of order, as reads of several tabs and scroll positions arrive.
    for (let i = 1; i <= 50; i++) sut.mark('general', 'alice', i === 30 ? 60 : i, `c${i}`);
    expect(store.writes).toHaveLength(0); // nothing until the flush
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(store.writes).toEqual([{ room: 'general', userId: 'alice', seq: 60, fromConnection: 'c30' }]);
    expect(store.markers.get('alice/general')).toBe(60);
  });

  it('should write one marker per user and room, and again after the next reads', async () => {
    const store = spyStore();
    const sut = new ReadCoalescer(store.write, 10_000);
    sut.mark('a', 'alice', 3);
    sut.mark('b', 'alice', 4);
    sut.mark('a', 'bob', 5);
    sut.mark('a', 'alice', 2); // behind: changes nothing
    await sut.flush();
    expect(store.writes.map((w) => `${w.userId}/${w.room}=${w.seq}`).sort()).toEqual([
      'alice/a=3',
      'alice/b=4',
      'bob/a=5',
    ]);
    expect(store.transactions).toEqual([3]); // one commit for the whole flush
    sut.mark('a', 'alice', 9);
    await sut.flush();
    expect(store.writes).toHaveLength(4);
    await sut.flush(); // nothing pending: no write
    expect(store.writes).toHaveLength(4);
  });

  it("should write a disconnecting user's markers at once, and only theirs", async () => {
    const store = spyStore();
    const sut = new ReadCoalescer(store.write, 10_000);
    sut.mark('a', 'alice', 7);
    sut.mark('a', 'bob', 8);
    await sut.flushUser('alice');
    expect(store.writes.map((w) => w.userId)).toEqual(['alice']);
    await sut.flush(); // shutdown
    expect(store.writes.map((w) => w.userId)).toEqual(['alice', 'bob']);
  });
});
