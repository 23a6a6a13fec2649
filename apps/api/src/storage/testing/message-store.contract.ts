import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import type { User } from '@chat/contracts';
import type { MessageDraft, MessageStore } from '../message-store.js';
import { pageBytesOf } from '../page-budget.js';
import { describeMessageLogContract } from './message-log.contract.js';

const alice: User = { id: 'u-alice', name: 'Alice', guest: false };
const bob: User = { id: 'u-bob', name: 'Bob', guest: false };
const robot: User = { id: 'bot-robot', name: 'robot', guest: false, bot: true };

const draft = (room: string, text: string, clientId: string, user = alice): MessageDraft => ({
  room,
  text,
  clientId,
  user,
});

/**
 * The behaviour every MessageStore adapter must have. Each adapter's spec calls this with a
 * factory for a fresh, empty store.
 */
export function describeMessageStoreContract(name: string, createStore: () => Promise<MessageStore>): void {
  describe(`${name} (MessageStore contract)`, () => {
    let store: MessageStore;

    beforeEach(async () => {
      store = await createStore();
    });
    afterEach(async () => {
      await store.close();
    });

    it('should give each room its own gap-free sequence starting at 1', async () => {
      const a1 = await store.append(draft('a', 'one', 'c1'));
      const b1 = await store.append(draft('b', 'uno', 'c2'));
      const a2 = await store.append(draft('a', 'two', 'c3'));
      expect([a1.message.seq, b1.message.seq, a2.message.seq]).toEqual([1, 1, 2]);
      expect(new Set([a1.message.id, b1.message.id, a2.message.id]).size).toBe(3);
    });

    it('should tell the room’s newest seq as a page would, 0 for a room without a log', async () => {
      expect(await store.lastSeqOf('nowhere')).toBe(0);
      await store.append(draft('a', 'one', 'c1'));
      const { message } = await store.append(draft('a', 'two', 'c2'));
      await store.append(draft('b', 'other', 'c3'));
      expect(await store.lastSeqOf('a')).toBe(message.seq);
      expect(await store.lastSeqOf('a')).toBe((await store.readPage('a', { limit: 10 })).lastSeq);
    });

    it('should return what was stored, with server-assigned id and ISO time', async () => {
      const { message, duplicate } = await store.append(draft('a', 'hello', 'c1'));
      expect(duplicate).toBe(false);
      expect(message).toMatchObject({ room: 'a', text: 'hello', clientId: 'c1', user: alice, seq: 1 });
      expect(new Date(message.time).toISOString()).toBe(message.time);
    });

    it('should store a (user, clientId) once and return the original on repeats', async () => {
      const first = await store.append(draft('a', 'once', 'same'));
      const again = await store.append(draft('a', 'once, edited?', 'same'));
      expect(again).toEqual({ message: first.message, duplicate: true });
      const otherUser = await store.append(draft('a', 'mine', 'same', bob));
      expect(otherUser.duplicate).toBe(false);
      expect(otherUser.message.seq).toBe(2);
    });

    it("should keep the sender's bot flag, and add none to a person's user", async () => {
      const fromBot = await store.append(draft('a', 'beep', 'b1', robot));
      const fromAlice = await store.append(draft('a', 'hi', 'a1'));
      expect(fromBot.message.user).toStrictEqual(robot);
      expect(fromAlice.message.user).toStrictEqual(alice);
      const page = await store.readPage('a', { limit: 10 });
      expect(page.messages.map((message) => message.user)).toStrictEqual([robot, alice]);
      expect(await store.findByClientId(robot.id, 'b1')).toStrictEqual(fromBot.message);
      expect((await store.append(draft('a', 'beep', 'b1', robot))).message.user).toStrictEqual(robot);
    });

    it('should find a stored message by (user, clientId), and nothing for another user or clientId', async () => {
      const { message } = await store.append(draft('a', 'kept', 'find-me'));
      expect(await store.findByClientId(alice.id, 'find-me')).toEqual(message);
      expect(await store.findByClientId(bob.id, 'find-me')).toBeUndefined();
      expect(await store.findByClientId(alice.id, 'not-sent')).toBeUndefined();
    });

    it('should answer a clientId repeated in another room with the original, in its own room, storing nothing', async () => {
      // ChatService refuses such a send (bad_request) by comparing the rooms: the store must say where it lives.
      const first = await store.append(draft('a', 'in a', 'moved'));
      const elsewhere = await store.append(draft('b', 'in b?', 'moved'));
      expect(elsewhere).toEqual({ message: first.message, duplicate: true });
      expect(elsewhere.message.room).toBe('a');
      expect(await store.readPage('b', { limit: 10 })).toMatchObject({ messages: [], lastSeq: 0 });
    });

    it('should store one of two concurrent sends of a clientId to different rooms, and name its room to both', async () => {
      const [inA, inB] = await Promise.all([
        store.append(draft('a', 'to a', 'split')),
        store.append(draft('b', 'to b', 'split')),
      ]);
      expect(inA.message).toEqual(inB.message);
      expect([inA.duplicate, inB.duplicate].sort()).toEqual([false, true]);
      const stored = inA.message.room;
      const other = stored === 'a' ? 'b' : 'a';
      expect((await store.readPage(stored, { limit: 10 })).lastSeq).toBe(1);
      expect((await store.readPage(other, { limit: 10 })).lastSeq).toBe(0);
    });

    it('should store concurrent repeats of one clientId once', async () => {
      const results = await Promise.all(
        Array.from({ length: 10 }, () => store.append(draft('a', 'x', 'race'))),
      );
      expect(new Set(results.map((r) => r.message.id)).size).toBe(1);
      expect(results.filter((r) => !r.duplicate)).toHaveLength(1);
      expect((await store.readPage('a', { limit: 10 })).lastSeq).toBe(1);
    });

    it('should allocate distinct, gap-free seqs to concurrent appends', async () => {
      const results = await Promise.all(
        Array.from({ length: 25 }, (_, i) => store.append(draft('a', `m${i}`, `c${i}`))),
      );
      expect(results.map((r) => r.message.seq).sort((x, y) => x - y)).toEqual(
        Array.from({ length: 25 }, (_, i) => i + 1),
      );
    });

    it('should page: latest first-page, after, before, hasMore and lastSeq', async () => {
      for (let i = 1; i <= 10; i++) await store.append(draft('p', `m${i}`, `c${i}`));
      const seqs = (page: { messages: { seq: number }[] }) => page.messages.map((m) => m.seq);

      const latest = await store.readPage('p', { limit: 3 });
      expect(seqs(latest)).toEqual([8, 9, 10]);
      expect(latest).toMatchObject({ hasMore: true, lastSeq: 10 });

      const after = await store.readPage('p', { after: 6, limit: 500 });
      expect(seqs(after)).toEqual([7, 8, 9, 10]);
      expect(after.hasMore).toBe(false);

      const afterCapped = await store.readPage('p', { after: 2, limit: 3 });
      expect(seqs(afterCapped)).toEqual([8, 9, 10]);
      expect(afterCapped.hasMore).toBe(true);

      const before = await store.readPage('p', { before: 4, limit: 5 });
      expect(seqs(before)).toEqual([1, 2, 3]);
      expect(before.hasMore).toBe(false);

      const beyond = await store.readPage('p', { after: 10, limit: 5 });
      expect(beyond).toEqual({ messages: [], hasMore: false, lastSeq: 10 });
    });

    it('should cut a page by bytes, keeping the newest messages and saying hasMore', async () => {
      // Same-sized messages (but for one digit of seq), so that budgets of n messages are exact.
      for (let i = 1; i <= 10; i++) {
        const n = String(i).padStart(2, '0');
        await store.append(draft('b', `${n}:`.padEnd(1000, '\u0001'), `c${n}`));
      }
      const seqs = (page: { messages: { seq: number }[] }) => page.messages.map((m) => m.seq);
      const one = pageBytesOf((await store.readPage('b', { limit: 1 })).messages[0]!);
      // JSON escapes each U+0001 as six bytes: a 1,000-character text is about 6 KB.
      expect(one).toBeGreaterThan(6000);

      const latest = await store.readPage('b', { limit: 10, maxBytes: one * 3 + 10 });
      expect(seqs(latest)).toEqual([8, 9, 10]);
      expect(latest).toMatchObject({ hasMore: true, lastSeq: 10 });

      const resume = await store.readPage('b', { after: 5, limit: 500, maxBytes: one * 2 + 10 });
      expect(seqs(resume)).toEqual([9, 10]);
      expect(resume.hasMore).toBe(true);

      const older = await store.readPage('b', { before: 9, limit: 100, maxBytes: one * 4 + 10 });
      expect(seqs(older)).toEqual([5, 6, 7, 8]);
      expect(older.hasMore).toBe(true);

      const fits = await store.readPage('b', { after: 7, limit: 500, maxBytes: one * 3 + 10 });
      expect(seqs(fits)).toEqual([8, 9, 10]);
      expect(fits.hasMore).toBe(false);
    });

    it('should always return the newest message, even when it alone is over maxBytes', async () => {
      await store.append(draft('big', 'x'.repeat(5000), 'c1'));
      const page = await store.readPage('big', { limit: 50, maxBytes: 100 });
      expect(page.messages.map((m) => m.seq)).toEqual([1]);
      expect(page.hasMore).toBe(false);
    });

    it('should read an unknown room as empty', async () => {
      expect(await store.readPage('nobody-here', { limit: 50 })).toEqual({
        messages: [],
        hasMore: false,
        lastSeq: 0,
      });
    });

    it('should keep text verbatim, whatever it contains', async () => {
      const hostile = `'); DROP TABLE messages; -- <script>alert(1)</script> \u0007 \u202e 😀 \n\t`;
      await store.append(draft('h', hostile, 'h1'));
      expect((await store.readPage('h', { limit: 1 })).messages[0]?.text).toBe(hostile);
    });
  });
  describeMessageLogContract(name, createStore);
}
