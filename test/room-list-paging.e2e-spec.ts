import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { ROOMS_PAGE_DEFAULT_LIMIT, RoomListSchema } from '@chat/contracts';
import request from 'supertest';
import { bearer, register } from './utils/accounts.js';
import { describeOnEachStore, postgresAvailability, type StoreEnv } from './utils/postgres.js';
import { startApp, type TestApp } from './utils/start-app.js';

const postgres = await postgresAvailability();

/** GET /api/rooms is paged by name: `limit`, and `cursor` = the previous page's `nextCursor`. */
function describeRoomListPaging(store: string, env: StoreEnv): void {
  describe(`GET /api/rooms paging (${store})`, () => {
    let server: TestApp;
    let token: string;
    // Names that sort differently by bytes and by some locales ("_" and "-" against letters).
    const tag = randomBytes(3).toString('hex');
    const names = [`a-${tag}`, `a_${tag}`, `a${tag}`, `b-${tag}`, `z9${tag}`, `z_${tag}`, `zz${tag}`];

    beforeAll(async () => {
      server = await startApp({ ...env(), ROOMS_PER_HOUR_PER_USER: '0', ROOMS_PER_HOUR_PER_IP: '0' });
      ({ token } = await register(server.baseUrl));
      for (const name of names) {
        await request(server.baseUrl).post('/api/rooms').set(bearer(token)).send({ name }).expect(201);
      }
    });
    afterAll(async () => {
      await server?.close();
    });

    const page = async (query: string) => {
      const response = await request(server.baseUrl).get(`/api/rooms${query}`).set(bearer(token)).expect(200);
      return RoomListSchema.parse(response.body);
    };

    it('should walk every room once, in name order, a page at a time', async () => {
      const seen: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const query: string = `?limit=3${cursor === null ? '' : `&cursor=${cursor}`}`;
        const list = await page(query);
        expect(list.rooms.length).toBeLessThanOrEqual(3);
        seen.push(...list.rooms.map((room) => room.name));
        cursor = list.nextCursor;
        pages++;
      } while (cursor !== null);
      const all = [...names, 'general'].sort();
      expect(seen).toEqual(all);
      expect(pages).toBe(Math.ceil(all.length / 3));
    });

    it(`should answer the first ${ROOMS_PAGE_DEFAULT_LIMIT} rooms without a limit, and the last page with nextCursor null`, async () => {
      const list = await page('');
      expect(list.rooms.map((room) => room.name)).toEqual([...names, 'general'].sort());
      expect(list.nextCursor).toBeNull();
      expect((await page(`?cursor=${list.rooms.at(-1)!.name}`)).rooms).toEqual([]);
    });

    it('should refuse a bad limit or cursor with 400', async () => {
      for (const query of ['limit=0', 'limit=201', 'limit=abc', 'cursor=UPPER', 'cursor=', 'page=2']) {
        const response = await request(server.baseUrl).get(`/api/rooms?${query}`).set(bearer(token));
        expect({ query, status: response.status }).toEqual({ query, status: 400 });
      }
    });
  });
}

describeOnEachStore('room list paging', postgres, describeRoomListPaging);
