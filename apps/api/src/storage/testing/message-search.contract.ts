import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import type { ChatMessage, User } from '@chat/contracts';
import { parseSearchTerms } from '../../search/search-terms.js';
import type { MembershipStore } from '../membership-store.js';
import type { MessageSearch, SearchRequest } from '../message-search.js';
import type { MessageStore } from '../message-store.js';
import type { RoomStore } from '../room-store.js';

const alice: User = { id: 'u-alice', name: 'alice', guest: false };
const bob: User = { id: 'u-bob', name: 'bob', guest: false };
const gina: User = { id: 'guest:gina', name: 'Gina', guest: true };

/** The stores of one fresh database, and what the suite does behind the stores' backs. */
export interface SearchStores {
  messages: MessageStore;
  search: MessageSearch;
  rooms: RoomStore;
  membership: MembershipStore;
  /** Moves a message back in time (a week-old message without waiting a week). */
  backdate(id: string, time: string): Promise<void>;
  /** The engine's query plan of this search, as text. */
  plan(request: SearchRequest): Promise<string>;
  /** A word that only the plan of a search through the full-text index shows. */
  indexMark: RegExp;
  close(): Promise<void>;
}

/** The behaviour every MessageSearch must have, on the stores that keep its index. */
export function describeMessageSearchContract(name: string, open: () => Promise<SearchStores>): void {
  describe(`${name} (MessageSearch contract)`, () => {
    let s: SearchStores;
    let n = 0;
    const send = async (room: string, text: string, user = alice, extra = {}): Promise<ChatMessage> =>
      (await s.messages.append({ room, text, user, clientId: `m${++n}`, ...extra })).message;
    const request = (q: string, viewer: User = alice, extra: Partial<SearchRequest> = {}): SearchRequest => ({
      terms: parseSearchTerms(q),
      viewer: viewer.id,
      now: new Date().toISOString(),
      offset: 0,
      limit: 20,
      ...extra,
    });
    const find = async (q: string, viewer: User = alice, extra: Partial<SearchRequest> = {}) =>
      await s.search.search(request(q, viewer, extra));
    const texts = async (q: string, viewer: User = alice, extra: Partial<SearchRequest> = {}) =>
      (await find(q, viewer, extra)).map((row) => row.message.text);

    beforeEach(async () => {
      s = await open();
      await s.rooms.create('lobby', { kind: 'public', owner: alice });
      await s.rooms.create('secret', { kind: 'private', owner: alice });
    });
    afterEach(async () => {
      await s.close();
    });

    it('should find a sent message by any of its words, ignoring case, in its latest state', async () => {
      const sent = await send('lobby', 'The Quarterly REPORT is due');
      await send('lobby', 'unrelated chatter');
      const rows = await find('report');
      expect(rows).toEqual([
        { message: expect.objectContaining({ id: sent.id, seq: sent.seq }), aroundSeq: sent.seq },
      ]);
      expect(await texts('QUARTERLY due')).toEqual(['The Quarterly REPORT is due']);
      expect(await texts('quarterly missing')).toEqual([]);
    });

    it('should find an edited message by its new words only, and a deleted one never', async () => {
      const edited = await send('lobby', 'meet at the harbour');
      const deleted = await send('lobby', 'harbour secrets');
      await s.messages.appendChange({
        type: 'edit',
        room: 'lobby',
        user: alice,
        clientId: `c${++n}`,
        id: edited.id,
        text: 'meet at the station',
      });
      await s.messages.appendChange({
        type: 'delete',
        room: 'lobby',
        user: alice,
        clientId: `c${++n}`,
        id: deleted.id,
      });
      expect(await texts('station')).toEqual(['meet at the station']);
      expect(await texts('harbour')).toEqual([]);
      expect(await texts('secrets')).toEqual([]);
      // An edit of an edit replaces the words again.
      await s.messages.appendChange({
        type: 'edit',
        room: 'lobby',
        user: alice,
        clientId: `c${++n}`,
        id: edited.id,
        text: 'meet at the airport',
      });
      expect(await texts('station')).toEqual([]);
      expect(await texts('airport')).toEqual(['meet at the airport']);
    });

    it("should find thread replies, to be opened at their root's seq", async () => {
      const root = await send('lobby', 'who has the keys');
      await send('lobby', 'filler');
      const reply = await send('lobby', 'the janitor has the keys', bob, { threadId: root.id });
      const rows = await find('janitor');
      expect(rows.map((row) => [row.message.id, row.message.threadId, row.aroundSeq])).toEqual([
        [reply.id, root.id, root.seq],
      ]);
    });

    it("should never find a private room's messages for a non-member, guest or not, even by room", async () => {
      await send('secret', 'the launch code is swordfish');
      await send('lobby', 'swordfish is a fish');
      expect(await texts('swordfish', alice)).toHaveLength(2);
      expect(await texts('swordfish', bob)).toEqual(['swordfish is a fish']);
      expect(await texts('swordfish', gina)).toEqual(['swordfish is a fish']);
      expect(await texts('swordfish', bob, { room: 'secret' })).toEqual([]);
      // A member finds it as soon as they are one, and not after they left.
      await s.membership.add('secret', bob, 'member', 0);
      expect(await texts('swordfish', bob, { room: 'secret' })).toEqual(['the launch code is swordfish']);
      await s.membership.remove('secret', bob.id);
      expect(await texts('swordfish', bob)).toEqual(['swordfish is a fish']);
    });

    it('should not search a public room its viewer is banned from', async () => {
      await send('lobby', 'banned words here');
      await s.membership.add('lobby', bob, 'member', 0);
      expect(await texts('banned', bob)).toHaveLength(1);
      await s.membership.ban('lobby', bob.id, alice.id);
      expect(await texts('banned', bob)).toEqual([]);
    });

    it('should narrow by room, by sender id or username, by time and by seq', async () => {
      const first = await send('lobby', 'deploy one');
      await send('lobby', 'deploy two', bob);
      await send('general', 'deploy three');
      expect((await texts('deploy', alice, { room: 'lobby' })).sort()).toEqual(['deploy one', 'deploy two']);
      expect(await texts('deploy', alice, { room: 'lobby', from: bob.id })).toEqual(['deploy two']);
      expect(await texts('deploy', alice, { from: 'nobody' })).toEqual([]);
      expect(await texts('deploy', alice, { room: 'lobby', beforeSeq: first.seq + 1 })).toEqual([
        'deploy one',
      ]);
      await s.backdate(first.id, '2026-01-01T00:00:00.000Z');
      expect(await texts('deploy', alice, { beforeTime: '2026-02-01T00:00:00.000Z' })).toEqual([
        'deploy one',
      ]);
    });

    it('should find phrases in order, prefixes, and leave out negated words', async () => {
      await send('lobby', 'red green blue');
      await send('lobby', 'green red');
      await send('lobby', 'greenhouse effect');
      expect(await texts('"red green"')).toEqual(['red green blue']);
      expect((await texts('gree*')).sort()).toEqual(['green red', 'greenhouse effect', 'red green blue']);
      expect(await texts('green -blue')).toEqual(['green red']);
      expect(await texts('green -"red green"')).toEqual(['green red']);
      // Punctuation inside a word joins its parts into a phrase, as the tokenizers split them.
      await send('lobby', 'send an e-mail now');
      expect(await texts('e-mail')).toEqual(['send an e-mail now']);
    });

    it('should split addresses, links and version numbers into words alike on every store', async () => {
      await send('lobby', 'mail ops@example.com about v1.2, see https://docs.example.org/a_b');
      for (const q of ['example', 'ops@example.com', 'v1.2', 'docs.example.org', 'a_b', 'https']) {
        expect([q, await texts(q)]).toEqual([
          q,
          ['mail ops@example.com about v1.2, see https://docs.example.org/a_b'],
        ]);
      }
      expect(await texts('"example ops"')).toEqual([]);
    });

    it('should rank by relevance and age, and page without repeats', async () => {
      const old = await send('lobby', 'budget');
      await send('lobby', 'budget');
      await s.backdate(old.id, new Date(Date.now() - 365 * 86_400_000).toISOString());
      const rows = await find('budget');
      expect(rows.map((row) => row.message.id).at(-1)).toBe(old.id);
      for (let i = 0; i < 5; i++) await send('lobby', `budget item ${i}`);
      const now = new Date().toISOString();
      const first = await find('budget', alice, { now, limit: 4, offset: 0 });
      const second = await find('budget', alice, { now, limit: 4, offset: 4 });
      expect(first).toHaveLength(4);
      expect(second).toHaveLength(3);
      const ids = [...first, ...second].map((row) => row.message.id);
      expect(new Set(ids).size).toBe(7);
    });

    it('should treat SQL and query syntax in the words as words', async () => {
      await send('lobby', "robert'); DROP TABLE messages; -- was here");
      for (const q of [
        "'); DROP TABLE messages; --",
        'NEAR(a b) OR "x" AND',
        "\\' OR 1=1 --",
        'a:* & !b | c',
      ]) {
        expect(Array.isArray(await find(q))).toBe(true);
      }
      expect(await texts('drop table')).toEqual(["robert'); DROP TABLE messages; -- was here"]);
      expect(await texts('robert')).toHaveLength(1);
    });

    it('should answer from the full-text index', async () => {
      await send('lobby', 'indexed words');
      expect(await s.plan(request('indexed'))).toMatch(s.indexMark);
    });
  });
}
