import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { MessagesPage } from '@chat/contracts';
import request from 'supertest';
import { bearer, guest, register } from './utils/accounts.js';
import { createTestDatabase, postgresAvailability, type TestDatabase } from './utils/postgres.js';
import { describeWithService } from './utils/services.js';
import { startApp, type TestApp } from './utils/start-app.js';
import { TestClient } from './utils/test-client.js';

const postgres = await postgresAvailability();

/** Text that has broken SQL, HTML and terminals before. All of it must come back byte for byte. */
const HOSTILE_TEXTS = [
  "'; DROP TABLE messages; --",
  "Robert'); DELETE FROM users WHERE ('1'='1",
  '" OR ""="',
  '<script>alert(document.cookie)</script>',
  '<img src=x onerror=alert(1)>',
  '</textarea><svg onload=alert(1)>',
  'javascript:alert(1)',
  'tab\there\nand a newline',
  '\u202e\u2066rtl\u2069 \u200b\ufeff',
  '😀👨‍👩‍👧‍👦 ℌ𝔢𝔩𝔩𝔬 e\u0301',
  '$1 $& $` \\0 \\n %s %d {{constructor}}',
];

/** Terminal escapes and other control characters (but newline and tab) are refused, not stored. */
const CONTROL_TEXT = '\u0007\u001b[31mred\u001b[0m\b\r\v\f';

const HOSTILE_NAMES = ["<b>Bobby</b>'; --", '" onmouseover="alert(1)', '😈 {{7*7}}', 'Robert) OR 1=1'];

function describeInjection(engine: string, env: () => Record<string, string>): void {
  describe(`hostile input on ${engine}`, () => {
    let server: TestApp;
    let token: string;

    beforeAll(async () => {
      server = await startApp(env());
      ({ token } = await register(server.baseUrl));
    });
    afterAll(async () => {
      await server?.close();
    });

    it('should store and return hostile message text verbatim, over WebSocket and HTTP', async () => {
      const client = await TestClient.joined(server.wsUrl, 'general', { token });
      HOSTILE_TEXTS.forEach((text, i) => client.send('send', { room: 'general', text, clientId: `h${i}` }));
      const echoed = await client.take('message', HOSTILE_TEXTS.length);
      expect(echoed.map((m) => m.text)).toEqual(HOSTILE_TEXTS);
      client.send('send', { room: 'general', text: CONTROL_TEXT, clientId: 'control' });
      expect(await client.next('error')).toMatchObject({ code: 'bad_request', clientId: 'control' });
      await client.close();

      const response = await request(server.baseUrl)
        .get('/api/rooms/general/messages?limit=100')
        .set(bearer(token));
      const stored = (response.body as MessagesPage).messages.filter((m) => m.clientId?.startsWith('h'));
      expect(stored.map((m) => m.text)).toEqual(HOSTILE_TEXTS);
    });

    it('should keep hostile guest names verbatim, in tokens, frames and storage', async () => {
      for (const name of HOSTILE_NAMES) {
        const session = await guest(server.baseUrl, name);
        expect(session.user.name).toBe(name);
        const client = await TestClient.joined(server.wsUrl, 'general', { token: session.token });
        client.send('send', { room: 'general', text: 'hi', clientId: `n-${name.length}` });
        expect((await client.next('message', (m) => m.user.id === session.user.id)).user.name).toBe(name);
        await client.close();
      }
      // The same through ?name= (a guest without a token).
      const viaQuery = await TestClient.connect(server.wsUrl, { name: HOSTILE_NAMES[0] });
      expect((await viaQuery.next('welcome')).user.name).toBe(HOSTILE_NAMES[0]);
      await viaQuery.close();
    });

    it('should refuse hostile room names and usernames with 400/bad_request, creating nothing', async () => {
      const client = await TestClient.joined(server.wsUrl, 'general', { token });
      for (const room of ["general'; --", 'a b', '../etc', '<b>', 'Room', "x' OR '1'='1"]) {
        client.send('join', { room });
        expect(await client.next('error')).toMatchObject({ code: 'bad_request', event: 'join' });
      }
      await client.close();
      const rooms = await request(server.baseUrl).get('/api/rooms').set(bearer(token)).expect(200);
      expect((rooms.body as { rooms: { name: string }[] }).rooms.map((r) => r.name)).toEqual(['general']);

      for (const username of ["admin'--", 'a"b', 'x; DROP', '<script>']) {
        const response = await request(server.baseUrl)
          .post('/api/auth/register')
          .send({ username, password: 'long enough 1' });
        expect(response.status).toBe(400);
        expect(response.body).toMatchObject({ code: 'bad_request' });
      }
    });

    it('should refuse hostile query parameters with 400', async () => {
      for (const query of [
        'before=1;DROP TABLE messages',
        "limit=' OR 1=1",
        'before=-1',
        'limit=1e3',
        'before[]=1',
      ]) {
        const response = await request(server.baseUrl)
          .get(`/api/rooms/general/messages?${query}`)
          .set(bearer(token));
        expect(response.status).toBe(400);
      }
      const hostileRoom = await request(server.baseUrl)
        .get(`/api/rooms/${encodeURIComponent("general' OR '1'='1")}/messages`)
        .set(bearer(token));
      expect(hostileRoom.status).toBe(400);
      // And the database is still all there.
      await request(server.baseUrl).get('/api/rooms/general/messages').set(bearer(token)).expect(200);
    });
  });
}

describeInjection('SQLite', () => ({}));

describeWithService('hostile input on PostgreSQL', postgres, () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => {
    await database?.drop();
  });
  describeInjection('PostgreSQL', () => ({ DATABASE_URL: database.url }));
});
