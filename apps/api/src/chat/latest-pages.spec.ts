import { beforeEach, describe, expect, it, jest } from '@jest/globals';
import { MemoryMessageStore } from '../storage/memory/memory-message-store.js';
import { LatestPages } from './latest-pages.js';

const user = { id: 'u', name: 'U', guest: false };

describe(LatestPages.name, () => {
  let store: MemoryMessageStore;
  let sut: LatestPages;
  let reads: jest.SpiedFunction<MemoryMessageStore['readPage']>;

  beforeEach(async () => {
    store = new MemoryMessageStore();
    for (let i = 1; i <= 3; i++) await store.append({ room: 'r', user, text: `m${i}`, clientId: `c${i}` });
    reads = jest.spyOn(store, 'readPage');
    sut = new LatestPages(store, 2);
  });

  it('should read a room once while its log does not change, and again once it does', async () => {
    const first = await sut.read('r', 'a', 100_000);
    expect(await sut.read('r', 'b', 100_000)).toBe(first);
    expect(reads).toHaveBeenCalledTimes(1);

    const { message } = await store.append({ room: 'r', user, text: 'm4', clientId: 'c4' });
    const after = await sut.read('r', 'a', 100_000);
    expect(after.messages.at(-1)).toEqual(message);
    expect(reads).toHaveBeenCalledTimes(2);
  });

  it('should not keep a page with reactions (they say `me` per reader), nor one of another budget', async () => {
    const [first] = (await store.readPage('r', { limit: 1 })).messages;
    await store.appendChange({
      type: 'react',
      room: 'r',
      user,
      clientId: 'x',
      id: first!.id,
      emoji: '👍',
      on: true,
    });
    reads.mockClear();
    await sut.read('r', 'a', 100_000);
    await sut.read('r', 'a', 100_000);
    expect(reads).toHaveBeenCalledTimes(2);

    await store.append({ room: 's', user, text: 'plain', clientId: 'p' });
    await sut.read('s', 'a', 100_000);
    await sut.read('s', 'a', 50_000);
    expect(reads).toHaveBeenCalledTimes(4);
  });

  it('should keep only the most recently joined rooms', async () => {
    for (const room of ['s', 't']) await store.append({ room, user, text: room, clientId: room });
    await sut.read('r', 'a', 100_000);
    await sut.read('s', 'a', 100_000);
    await sut.read('r', 'a', 100_000); // r is now the most recent
    await sut.read('t', 'a', 100_000); // s goes
    reads.mockClear();
    await sut.read('r', 'a', 100_000);
    await sut.read('s', 'a', 100_000);
    expect(reads.mock.calls.map(([room]) => room)).toEqual(['s']);
  });
});
