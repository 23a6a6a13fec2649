import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { bearer, register, TEST_PASSWORD, uniqueUsername } from './utils/accounts.js';
import { Bystander, describeBystander } from './utils/bystander.js';
import { startApp, type TestApp } from './utils/start-app.js';

/** What a browser sends when a page on another origin makes it post to us. */
describe('cross-site request forgery', () => {
  let server: TestApp;
  let attacker: { username: string; token: string };
  let victimCookie: string;
  const own = () => `http://127.0.0.1:${server.port}`;
  /** A page on another port of the same host: same site, so SameSite=Lax still sends the cookie. */
  const otherPort = () => `http://127.0.0.1:${server.port === 65535 ? 1 : server.port + 1}`;

  beforeAll(async () => {
    server = await startApp({});
    const username = uniqueUsername('mallory');
    attacker = { username, token: (await register(server.baseUrl, username)).token };
    const victim = await register(server.baseUrl, uniqueUsername('victim'));
    victimCookie = `chat_token=${victim.token}`;
  });
  afterAll(() => server.close());

  const roomNames = async () =>
    (
      (await request(server.baseUrl).get('/api/rooms').set(bearer(attacker.token)).expect(200)).body as {
        rooms: { name: string }[];
      }
    ).rooms.map((room) => room.name);

  describe('login CSRF', () => {
    it('should refuse a form-encoded sign-in with 415 and set no cookie', async () => {
      const response = await request(server.baseUrl)
        .post('/api/auth/login')
        .set('Origin', 'https://evil.example')
        .type('form')
        .send({ username: attacker.username, password: TEST_PASSWORD });
      expect(response.status).toBe(415);
      expect(response.body).toMatchObject({
        code: 'bad_request',
        message: expect.stringContaining('application/json'),
      });
      expect(response.headers['set-cookie']).toBeUndefined();
    });

    it('should refuse a text/plain body (what a no-cors fetch can send) with 415', async () => {
      const response = await request(server.baseUrl)
        .post('/api/auth/login')
        .set('Content-Type', 'text/plain')
        .send(JSON.stringify({ username: attacker.username, password: TEST_PASSWORD }));
      expect(response.status).toBe(415);
      expect(response.headers['set-cookie']).toBeUndefined();
    });

    it('should refuse a JSON sign-in from a foreign origin with 403 that names the fix', async () => {
      const response = await request(server.baseUrl)
        .post('/api/auth/login')
        .set('Origin', 'https://evil.example')
        .send({ username: attacker.username, password: TEST_PASSWORD });
      expect(response.status).toBe(403);
      expect(response.body).toMatchObject({
        code: 'forbidden',
        message: expect.stringContaining('ALLOWED_ORIGINS'),
      });
      expect(response.headers['set-cookie']).toBeUndefined();
    });

    it('should sign in from the server’s own pages and from clients that send no Origin', async () => {
      for (const origin of [own(), undefined]) {
        const call = request(server.baseUrl).post('/api/auth/login');
        if (origin) void call.set('Origin', origin).set('Sec-Fetch-Site', 'same-origin');
        const response = await call.send({ username: attacker.username, password: TEST_PASSWORD });
        expect(response.status).toBe(200);
      }
    });
  });

  describe('cookie-authenticated state changes', () => {
    it('should refuse a room created from a page on another port of the same host', async () => {
      const bystander = await Bystander.start(server.wsUrl);
      const names = Array.from({ length: 300 }, (_, i) => `forged-${i}`);
      for (const name of names) {
        const response = await request(server.baseUrl)
          .post('/api/rooms')
          .set('Cookie', victimCookie)
          .set('Origin', otherPort())
          .set('Sec-Fetch-Site', 'same-site')
          .send({ name });
        expect(response.status).toBe(403);
      }
      const report = await bystander.stop();
      console.log(describeBystander('300 forged room creations with the victim’s cookie', report));
      expect(report.unanswered).toBe(0);
      expect((await roomNames()).filter((name) => name.startsWith('forged-'))).toEqual([]);
    });

    it('should refuse Sec-Fetch-Site: cross-site when there is no Origin, and forms with the cookie', async () => {
      await request(server.baseUrl)
        .post('/api/rooms')
        .set('Cookie', victimCookie)
        .set('Sec-Fetch-Site', 'cross-site')
        .send({ name: 'forged-fetch' })
        .expect(403);
      await request(server.baseUrl)
        .post('/api/rooms')
        .set('Cookie', victimCookie)
        .type('form')
        .send({ name: 'forged-form' })
        .expect(415);
      await request(server.baseUrl)
        .post('/api/auth/logout')
        .set('Cookie', victimCookie)
        .set('Origin', 'https://evil.example')
        .expect(403);
      expect(await roomNames()).not.toEqual(expect.arrayContaining(['forged-fetch', 'forged-form']));
    });

    it('should accept the same request from the server’s own origin', async () => {
      await request(server.baseUrl)
        .post('/api/rooms')
        .set('Cookie', victimCookie)
        .set('Origin', own())
        .set('Sec-Fetch-Site', 'same-origin')
        .send({ name: 'honest-room' })
        .expect(201);
    });

    it('should let a Bearer token without a cookie through (not sent by browsers on their own)', async () => {
      await request(server.baseUrl)
        .post('/api/rooms')
        .set(bearer(attacker.token))
        .set('Origin', 'https://tool.example')
        .send({ name: 'bearer-room' })
        .expect(201);
      // With the cookie as well, the request could be the browser's: checked.
      await request(server.baseUrl)
        .post('/api/rooms')
        .set(bearer(attacker.token))
        .set('Cookie', victimCookie)
        .set('Origin', 'https://evil.example')
        .send({ name: 'bearer-and-cookie' })
        .expect(403);
    });
  });
});
