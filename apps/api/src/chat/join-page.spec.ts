import { describe, expect, it } from '@jest/globals';
import { MemoryMessageStore } from '../storage/memory/memory-message-store.js';
import { pageBytesOf } from '../storage/page-budget.js';
import { readJoinPage } from './join-page.js';

const user = { id: 'u', name: 'U', guest: false };

/** A room with `count` messages, the first of them edited after all were sent. */
async function room(count: number, text = 'x') {
  const store = new MemoryMessageStore();
  const messages = [];
  for (let i = 1; i <= count; i++)
    messages.push((await store.append({ room: 'r', user, text, clientId: `m${i}` })).message);
  const edit = await store.appendChange({
    type: 'edit',
    room: 'r',
    user,
    clientId: 'e',
    id: messages[0]!.id,
    text: 'edited',
  });
  if (edit.status !== 'applied') throw new Error(edit.status);
  return { store, messages, edit: edit.change };
}

describe(readJoinPage.name, () => {
  it('should answer a plain join with the latest page and no changes', async () => {
    const { store } = await room(3);
    const { page, reset, changes } = await readJoinPage(store, 'r', undefined, 'u', 100_000);
    expect([page.messages.length, page.lastSeq, reset, changes]).toEqual([3, 4, false, []]);
  });

  it('should replay the changes to what the client held, with the messages it missed', async () => {
    const { store, edit } = await room(3);
    const { page, reset, changes } = await readJoinPage(store, 'r', 2, 'u', 100_000);
    expect(page.messages.map((message) => message.seq)).toEqual([3]);
    expect([reset, changes]).toEqual([false, [edit]]);
  });

  it('should reset a client that is ahead of the room (a new database)', async () => {
    const { store } = await room(2);
    const { reset, page } = await readJoinPage(store, 'r', 99, 'u', 100_000);
    expect([reset, page.lastSeq]).toEqual([true, 3]);
  });

  it('should keep every change and fewer messages when both do not fit one page', async () => {
    const { store, edit } = await room(6, 'y'.repeat(1000));
    const one = pageBytesOf((await store.readPage('r', { limit: 1 })).messages[0]!);
    const budget = one * 5;
    const { page, reset, changes } = await readJoinPage(store, 'r', 1, 'u', budget);
    expect([reset, changes]).toEqual([false, [edit]]);
    expect(page.hasMore).toBe(true);
    expect(page.lastSeq).toBe(7);
    expect(page.messages.map((message) => message.seq)).toEqual([3, 4, 5, 6]);
  });
});
