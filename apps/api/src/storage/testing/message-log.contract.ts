import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import type { ChatMessage, User } from '@chat/contracts';
import { ClientIdReusedError } from '../../common/errors/chat-errors.js';
import type { ChangeDraft, ChangeResult, MessageStore } from '../message-store.js';

/** A change draft whose clientId the suite makes up when not given. */
type Loose<T> = T extends unknown ? Omit<T, 'clientId'> & { clientId?: string } : never;

const alice: User = { id: 'u-alice', name: 'Alice', guest: false };
const bob: User = { id: 'u-bob', name: 'Bob', guest: false };

/** The behaviour of a room's log (changes, latest-state pages, replay) that every MessageStore must have. */
export function describeMessageLogContract(name: string, createStore: () => Promise<MessageStore>): void {
  describe(`${name} (room log contract)`, () => {
    let store: MessageStore;
    let n = 0;
    const send = async (room: string, text: string, user = alice, extra = {}): Promise<ChatMessage> =>
      (await store.append({ room, text, user, clientId: `m${++n}`, ...extra })).message;
    const change = (draft: Loose<ChangeDraft>): Promise<ChangeResult> =>
      store.appendChange({ clientId: `c${++n}`, ...draft } as ChangeDraft);
    const applied = async (draft: Loose<ChangeDraft>) => {
      const result = await change(draft);
      if (result.status !== 'applied') throw new Error(`expected applied, got ${result.status}`);
      return result;
    };

    beforeEach(async () => {
      store = await createStore();
    });
    afterEach(async () => {
      await store.close();
    });

    it('should give changes seqs from the same gap-free counter as messages', async () => {
      const first = await send('r', 'hello');
      const edit = await applied({ type: 'edit', room: 'r', user: alice, id: first.id, text: 'hello!' });
      const second = await send('r', 'next');
      expect([first.seq, edit.change.data.seq, second.seq]).toEqual([1, 2, 3]);
      expect(edit.change).toEqual({
        event: 'message.edited',
        data: { room: 'r', seq: 2, id: first.id, text: 'hello!', editedAt: edit.time, user: alice },
      });
      expect((await store.readPage('r', { limit: 10 })).lastSeq).toBe(3);
    });

    it('should page messages in their latest state: edited text, tombstones, reactions with me', async () => {
      const a = await send('r', 'typo');
      const b = await send('r', 'regret', bob);
      const edit = await applied({ type: 'edit', room: 'r', user: alice, id: a.id, text: 'fixed' });
      await applied({ type: 'react', room: 'r', user: bob, id: a.id, emoji: '👍', on: true });
      const mine = await applied({ type: 'react', room: 'r', user: alice, id: a.id, emoji: '👍', on: true });
      await applied({ type: 'react', room: 'r', user: alice, id: b.id, emoji: '🎉', on: true });
      await applied({ type: 'delete', room: 'r', user: bob, id: b.id });
      expect(mine.change.data).toMatchObject({ count: 2, on: true, user: alice });

      const page = await store.readPage('r', { limit: 10, viewer: alice.id });
      expect(page.lastSeq).toBe(7);
      expect(page.messages[0]).toMatchObject({ text: 'fixed', editedAt: edit.time });
      expect(page.messages[0]!.reactions).toEqual([{ emoji: '👍', count: 2, me: true }]);
      expect(page.messages[1]).toMatchObject({ text: '', deleted: true });
      expect(page.messages[1]!.reactions).toBeUndefined();
      const anonymous = await store.readPage('r', { limit: 10 });
      expect(anonymous.messages[0]!.reactions).toEqual([{ emoji: '👍', count: 2, me: false }]);
    });

    it('should count a reaction once per user and drop it at zero', async () => {
      const m = await send('r', 'react to me');
      const on1 = await applied({ type: 'react', room: 'r', user: bob, id: m.id, emoji: '❤️', on: true });
      const on2 = await applied({ type: 'react', room: 'r', user: bob, id: m.id, emoji: '❤️', on: true });
      expect([on1.change.data, on2.change.data]).toMatchObject([{ count: 1 }, { count: 1 }]);
      const off = await applied({ type: 'react', room: 'r', user: bob, id: m.id, emoji: '❤️', on: false });
      expect(off.change.data).toMatchObject({ count: 0, on: false });
      expect((await store.findMessage(m.id))?.reactions).toBeUndefined();
    });

    it('should refuse changes to a tombstone, to an unknown id and to a message of another room', async () => {
      const m = await send('r', 'gone soon');
      await applied({ type: 'delete', room: 'r', user: alice, id: m.id });
      expect(await change({ type: 'edit', room: 'r', user: alice, id: m.id, text: 'back?' })).toEqual({
        status: 'deleted',
      });
      expect(
        await change({ type: 'react', room: 'r', user: alice, id: m.id, emoji: '👍', on: true }),
      ).toEqual({
        status: 'deleted',
      });
      expect(await change({ type: 'delete', room: 'r', user: alice, id: m.id })).toEqual({
        status: 'deleted',
      });
      const unknown = '00000000-0000-4000-8000-000000000000';
      expect(await change({ type: 'delete', room: 'r', user: alice, id: unknown })).toEqual({
        status: 'not_found',
      });
      const other = await send('s', 'elsewhere');
      expect(await change({ type: 'delete', room: 'r', user: alice, id: other.id })).toEqual({
        status: 'not_found',
      });
      expect((await store.readPage('r', { limit: 10 })).lastSeq).toBe(2);
    });

    it('should be idempotent on (user, clientId) across messages and changes', async () => {
      const m = await send('r', 'x');
      const first = await applied({
        type: 'edit',
        room: 'r',
        user: alice,
        id: m.id,
        text: 'y',
        clientId: 'e1',
      });
      const again = await change({
        type: 'edit',
        room: 'r',
        user: alice,
        id: m.id,
        text: 'z',
        clientId: 'e1',
      });
      expect(again).toEqual({ status: 'duplicate', change: first.change, time: first.time });
      expect((await store.findMessage(m.id))?.text).toBe('y');
      // A message's clientId cannot name a change, nor a change's a message.
      expect(
        await change({ type: 'delete', room: 'r', user: alice, id: m.id, clientId: m.clientId }),
      ).toEqual({
        status: 'client_id_used',
        room: 'r',
      });
      await expect(
        store.append({ room: 'r', text: 'reuse', user: alice, clientId: 'e1' }),
      ).rejects.toBeInstanceOf(ClientIdReusedError);
      expect(await store.isClientIdUsed(alice.id, 'e1')).toBe(true);
      expect(await store.isClientIdUsed(bob.id, 'e1')).toBe(false);
      expect((await store.readPage('r', { limit: 10 })).lastSeq).toBe(2);
    });

    it('should store replies with a quote of the latest text, and keep the thread summary', async () => {
      const root = await send('r', 'root');
      const quoted = await send('r', 'quote me', bob);
      const reply = await send('r', 'an answer', alice, { replyTo: quoted.id });
      expect(reply.replyTo).toEqual({ id: quoted.id, user: bob, text: 'quote me' });
      const t1 = await send('r', 'in thread', bob, { threadId: root.id });
      const t2 = await send('r', 'also', alice, { threadId: root.id, mentions: [bob.id] });
      expect(t1).toMatchObject({ threadId: root.id, thread: { replyCount: 1, lastReplyAt: t1.time } });
      expect(t2).toMatchObject({ threadId: root.id, thread: { replyCount: 2 }, mentions: [bob.id] });
      await applied({ type: 'edit', room: 'r', user: bob, id: quoted.id, text: 'quoted, edited' });
      await applied({ type: 'delete', room: 'r', user: bob, id: t1.id });

      const page = await store.readPage('r', { limit: 10 });
      const byId = new Map(page.messages.map((message) => [message.id, message]));
      expect(byId.get(root.id)?.thread).toEqual({ replyCount: 2, lastReplyAt: t2.time });
      expect(byId.get(reply.id)?.replyTo).toEqual({ id: quoted.id, user: bob, text: 'quoted, edited' });
      const thread = await store.readPage('r', { limit: 10, threadId: root.id });
      expect(thread.messages.map((message) => message.id)).toEqual([t1.id, t2.id]);
      expect(thread.messages[0]).toMatchObject({ deleted: true, text: '' });
    });

    it('should quote the first 200 characters, and a deleted original as deleted', async () => {
      const long = await send('r', `${'😀'.repeat(150)}${'x'.repeat(100)}`);
      const reply = await send('r', 'long one', bob, { replyTo: long.id });
      expect(Array.from(reply.replyTo!.text)).toHaveLength(200);
      await applied({ type: 'delete', room: 'r', user: alice, id: long.id });
      expect((await store.findMessage(reply.id))?.replyTo).toEqual({
        id: long.id,
        user: alice,
        text: '',
        deleted: true,
      });
    });

    it('should read the log in seq order, messages and every kind of change', async () => {
      const m = await send('r', 'one');
      await applied({ type: 'react', room: 'r', user: bob, id: m.id, emoji: '👍', on: true });
      const member = await store.appendMemberEvent({
        room: 'r',
        user: bob,
        role: 'member',
        reason: 'joined',
      });
      await applied({ type: 'edit', room: 'r', user: alice, id: m.id, text: 'uno' });
      expect(member).toEqual({ room: 'r', seq: 3, user: bob, role: 'member', reason: 'joined' });
      const log = await store.readLog('r', 0, undefined, 100);
      expect(log.map((entry) => [entry.event, entry.data.seq])).toEqual([
        ['message', 1],
        ['reaction', 2],
        ['member', 3],
        ['message.edited', 4],
      ]);
      // Messages in the log come in their latest state.
      expect(log[0]!.data).toMatchObject({ text: 'uno' });
      expect((await store.readLog('r', 1, 4, 100)).map((entry) => entry.data.seq)).toEqual([2, 3]);
      expect((await store.readLog('r', 0, undefined, 2)).map((entry) => entry.data.seq)).toEqual([3, 4]);
    });

    it('should log a membership change as the first entry of a room without messages', async () => {
      const member = await store.appendMemberEvent({
        room: 'new-room',
        user: alice,
        role: 'owner',
        reason: 'joined',
      });
      expect(member.seq).toBe(1);
      expect((await store.readPage('new-room', { limit: 10 })).lastSeq).toBe(1);
      expect((await send('new-room', 'first message')).seq).toBe(2);
    });

    it('should replay only the changes to what a resuming client held, up to until', async () => {
      const old = await send('r', 'held');
      await send('r', 'also held');
      const since = 2;
      const edit = await applied({ type: 'edit', room: 'r', user: alice, id: old.id, text: 'held, edited' });
      const fresh = await send('r', 'new');
      await applied({ type: 'edit', room: 'r', user: alice, id: fresh.id, text: 'new, edited' });
      const member = await store.appendMemberEvent({ room: 'r', user: bob, reason: 'left' });
      const react = await applied({ type: 'react', room: 'r', user: bob, id: old.id, emoji: '👀', on: true });
      expect(await store.readChanges('r', since, 100, 100)).toEqual([
        edit.change,
        { event: 'member', data: member },
        react.change,
      ]);
      expect(await store.readChanges('r', since, member.seq, 100)).toEqual([
        edit.change,
        { event: 'member', data: member },
      ]);
      expect(await store.readChanges('r', since, 100, 1)).toEqual([edit.change]);
    });

    it('should find a message by id in its latest state, and nothing for an unknown or malformed id', async () => {
      const m = await send('r', 'find me');
      await applied({ type: 'react', room: 'r', user: bob, id: m.id, emoji: '🙂', on: true });
      expect(await store.findMessage(m.id)).toMatchObject({
        id: m.id,
        reactions: [{ emoji: '🙂', count: 1, me: false }],
      });
      expect(await store.findMessage('00000000-0000-4000-8000-000000000000')).toBeUndefined();
      expect(await store.findMessage("not-a-uuid'; --")).toBeUndefined();
    });

    it('should read a page from the oldest end of its range with oldest (paging forward)', async () => {
      const sent = [];
      for (let i = 1; i <= 6; i++) sent.push(await send('r', `f${i}`));
      await applied({ type: 'edit', room: 'r', user: alice, id: sent[1]!.id, text: 'f2!' });
      const page = await store.readPage('r', { after: sent[0]!.seq, limit: 3, oldest: true });
      expect([page.messages.map((m) => m.text), page.hasMore]).toEqual([['f2!', 'f3', 'f4'], true]);
      const rest = await store.readPage('r', { after: sent[3]!.seq, limit: 3, oldest: true });
      expect([rest.messages.map((m) => m.text), rest.hasMore]).toEqual([['f5', 'f6'], false]);
      // The byte budget keeps the oldest message, and says newer ones were left out.
      const tight = await store.readPage('r', { after: 0, limit: 6, maxBytes: 200, oldest: true });
      expect([tight.messages.map((m) => m.text), tight.hasMore]).toEqual([['f1'], true]);
    });

    it('should commit one caller order for concurrent messages and changes', async () => {
      const m = await send('r', 'base');
      const writes = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          i % 2 === 0
            ? store
                .append({ room: 'r', text: `m${i}`, user: bob, clientId: `q${i}` })
                .then((r) => r.message.seq)
            : applied({ type: 'edit', room: 'r', user: alice, id: m.id, text: `e${i}` }).then(
                (r) => r.change.data.seq,
              ),
        ),
      );
      expect(writes).toEqual(Array.from({ length: 20 }, (_, i) => i + 2));
      expect((await store.findMessage(m.id))?.text).toBe('e19');
    });
  });
}
