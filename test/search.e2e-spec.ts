import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomBytes, randomUUID } from 'node:crypto';
import request from 'supertest';
import { SearchResultsSchema, type AuthResponse, type ChatMessage } from '@chat/contracts';
import { bearer, guest, register } from './utils/accounts.js';
import { useMembershipApp } from './utils/membership.js';
import { describeOnEachStore, postgresAvailability, type StoreEnv } from './utils/postgres.js';
import { NO_RATE_LIMITS, startApp, type TestApp } from './utils/start-app.js';
import type { TestClient } from './utils/test-client.js';

const postgres = await postgresAvailability();
/** A word no other test of the run posts, so that each test counts only its own results. */
const word = () => `w${randomBytes(5).toString('hex')}`;
const uniqueRoom = () => `srch-${randomBytes(4).toString('hex')}`;

/** GET /api/search over real HTTP, messages sent over real sockets, on one store. */
function describeSearch(store: string, env: StoreEnv): void {
  describe(`GET /api/search (${store})`, () => {
    const app = useMembershipApp(env, 2);
    const alice = () => app.accounts[0]!;
    const bob = () => app.accounts[1]!;
    const search = (who: AuthResponse, query: Record<string, string>) =>
      request(app.server.baseUrl).get('/api/search').query(query).set(bearer(who.token));
    const found = async (who: AuthResponse, query: Record<string, string>) => {
      const response = await search(who, query);
      expect(response.status).toBe(200);
      return SearchResultsSchema.parse(response.body);
    };
    const post = async (client: TestClient, room: string, text: string): Promise<ChatMessage> => {
      const clientId = randomUUID();
      client.send('send', { room, text, clientId });
      await client.next('ack', (data) => data.clientId === clientId);
      return client.next('message', (data) => data.clientId === clientId);
    };
    const change = async (client: TestClient, data: { room: string; id: string; text?: string }) => {
      const clientId = randomUUID();
      if (data.text === undefined) client.send('delete', { ...data, clientId });
      else client.send('edit', { ...data, text: data.text, clientId });
      await client.next('ack', (ack) => ack.clientId === clientId);
    };

    it('should answer matches with plain-text snippets and the ranges of the matched words', async () => {
      const w = word();
      const client = await app.joined(alice(), 'general');
      const long = `${'lorem ipsum '.repeat(20)}then <b>${w.toUpperCase()}</b> & more ${'dolor '.repeat(20)}`;
      const sent = await post(client, 'general', long);
      const { results, next } = await found(alice(), { q: w });
      expect(next).toBeUndefined();
      expect(results).toHaveLength(1);
      const [hit] = results;
      expect(hit).toMatchObject({
        room: 'general',
        message: { id: sent.id, text: long },
        aroundSeq: sent.seq,
      });
      // Cut around the match, marked by ellipses, the markup left as the text it is.
      expect(hit!.snippet.startsWith('…')).toBe(true);
      expect(hit!.snippet.endsWith('…')).toBe(true);
      expect(hit!.snippet).toContain(`<b>${w.toUpperCase()}</b> &`);
      expect(hit!.highlights.map(([from, to]) => hit!.snippet.slice(from, to))).toEqual([w.toUpperCase()]);
    });

    it('should find an edited message by its new word only, and a deleted one never', async () => {
      const [before, after, gone] = [word(), word(), word()];
      const client = await app.joined(alice(), 'general');
      const edited = await post(client, 'general', `first ${before}`);
      const deleted = await post(client, 'general', `doomed ${gone}`);
      await change(client, { room: 'general', id: edited.id, text: `second ${after}` });
      await change(client, { room: 'general', id: deleted.id });
      expect((await found(bob(), { q: after })).results.map((hit) => hit.message.text)).toEqual([
        `second ${after}`,
      ]);
      expect((await found(bob(), { q: before })).results).toEqual([]);
      expect((await found(bob(), { q: gone })).results).toEqual([]);
    });

    it('should never show a private room to a non-member: no results, and room= is a 404 like a missing room', async () => {
      const [w, room] = [word(), uniqueRoom()];
      await app.api(alice()).createRoom(room, 'private').expect(201);
      const client = await app.joined(alice(), room);
      await post(client, room, `classified ${w}`);
      expect((await found(alice(), { q: w })).results).toHaveLength(1);
      expect((await found(bob(), { q: w })).results).toEqual([]);
      const hidden = await search(bob(), { q: w, room }).expect(404);
      const missing = await search(bob(), { q: w, room: uniqueRoom() }).expect(404);
      expect(hidden.body.code).toBe('not_found');
      expect(hidden.body.message.replace(room, '?')).toBe(
        missing.body.message.replace(/srch-[0-9a-f]+/, '?'),
      );
      // Guests have no memberships: public rooms only.
      const visitor = await guest(app.server.baseUrl, 'Visitor');
      expect((await found(visitor, { q: w })).results).toEqual([]);
      await post(await app.joined(alice(), 'general'), 'general', `public ${w}`);
      expect((await found(visitor, { q: w })).results.map((hit) => hit.room)).toEqual(['general']);
    });

    it('should refuse what it cannot search with 400 and the reason', async () => {
      const cases: [Record<string, string>, RegExp][] = [
        [{ q: '"unclosed phrase' }, /quote/],
        [{ q: '-only -negated' }, /not only what to leave out/],
        [{ q: '!!! ???' }, /nothing to search for/],
        [{ q: 'ab*' }, /prefix/],
        [{ q: '' }, /q/],
        [{ q: 'x'.repeat(201) }, /q/],
        [{ q: 'ok', limit: '0' }, /limit/],
        [{ q: 'ok', limit: '51' }, /limit/],
        [{ q: 'ok', cursor: 'not-a-cursor' }, /cursor/],
        [{ q: 'ok', before: 'yesterday-ish' }, /before/],
        [{ q: 'ok', before: '12' }, /room=/],
        [{ q: 'ok', room: 'general', before: '9'.repeat(30) }, /out of range/],
        [{ q: 'ok', sort: 'new' }, /sort|Unrecognized/i],
        [{ q: 'ok', from: 'ann\u0000' }, /from/],
        [{}, /q/],
      ];
      for (const [query, reason] of cases) {
        const response = await search(alice(), query);
        expect([JSON.stringify(query), response.status, response.body.code]).toEqual([
          JSON.stringify(query),
          400,
          'bad_request',
        ]);
        expect(response.body.message).toMatch(reason);
      }
      await request(app.server.baseUrl).get('/api/search').query({ q: 'ok' }).expect(401);
    });

    it('should treat SQL and query operators in q as words', async () => {
      const w = word();
      const client = await app.joined(alice(), 'general');
      await post(client, 'general', `x'); DROP TABLE messages; -- ${w}`);
      for (const q of [
        `'); DROP TABLE messages; -- ${w}`,
        `${w} OR 1=1`,
        `NEAR(${w} x) AND`,
        `${w}:* | !a`,
      ]) {
        const response = await search(alice(), { q });
        expect([q, response.status]).toEqual([q, 200]);
      }
      expect((await found(alice(), { q: `drop ${w}` })).results).toHaveLength(1);
    });

    it('should page with an opaque next cursor: no repeats, no next on the last page', async () => {
      const w = word();
      const client = await app.joined(alice(), 'general');
      for (let i = 0; i < 5; i++) await post(client, 'general', `${w} number ${i}`);
      const seen: string[] = [];
      let cursor: string | undefined;
      let pages = 0;
      do {
        const page = await found(alice(), { q: w, limit: '2', ...(cursor && { cursor }) });
        seen.push(...page.results.map((hit) => hit.message.id));
        cursor = page.next;
        pages++;
      } while (cursor !== undefined && pages < 10);
      expect(pages).toBe(3);
      expect(new Set(seen).size).toBe(5);
      // Same relevance: the newest first.
      const firstPage = await found(alice(), { q: w, limit: '2' });
      expect(firstPage.results.map((hit) => hit.message.text)).toEqual([`${w} number 4`, `${w} number 3`]);
    });

    it('should narrow by room, sender and before', async () => {
      const [w, room] = [word(), uniqueRoom()];
      await app.api(alice()).createRoom(room).expect(201);
      const mine = await app.joined(alice(), room);
      const theirs = await app.joined(bob(), room);
      const first = await post(mine, room, `${w} from alice`);
      await post(theirs, room, `${w} from bob`);
      await post(await app.joined(alice(), 'general'), 'general', `${w} elsewhere`);
      const texts = async (query: Record<string, string>) =>
        (await found(alice(), { q: w, ...query })).results.map((hit) => hit.message.text).sort();
      expect(await texts({ room })).toEqual([`${w} from alice`, `${w} from bob`]);
      expect(await texts({ room, from: bob().user.name })).toEqual([`${w} from bob`]);
      expect(await texts({ from: alice().user.id })).toEqual([`${w} elsewhere`, `${w} from alice`]);
      expect(await texts({ room, before: String(first.seq + 1) })).toEqual([`${w} from alice`]);
      expect(await texts({ before: '2000-01-01T00:00:00Z' })).toEqual([]);
    });
  });
}

describeOnEachStore('GET /api/search', postgres, describeSearch);

describe('GET /api/search quota', () => {
  let server: TestApp;
  beforeAll(async () => {
    server = await startApp({ ...NO_RATE_LIMITS, SEARCHES_PER_MINUTE_PER_USER: '2' });
  });
  afterAll(async () => {
    await server?.close();
  });

  it('should refuse searches past SEARCHES_PER_MINUTE_PER_USER with 429 and Retry-After, pages still served', async () => {
    const ann = await register(server.baseUrl);
    const get = (path: string) => request(server.baseUrl).get(path).set(bearer(ann.token));
    await get('/api/search?q=one').expect(200);
    await get('/api/search?q=two').expect(200);
    const refused = await get('/api/search?q=three').expect(429);
    expect(refused.body.code).toBe('rate_limited');
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    await get('/api/rooms/general/messages').expect(200);
  });
});
