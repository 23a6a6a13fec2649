import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { register, TEST_PASSWORD, uniqueUsername } from './utils/accounts.js';
import { Bystander, describeBystander } from './utils/bystander.js';
import { requestFrom } from './utils/http-from.js';
import { startApp, type TestApp } from './utils/start-app.js';

/** The bystander pings every 5 ms: the suite's frame limit must not drop its pings. */
const NO_FRAME_LIMIT = { FRAME_RATE_PER_SEC: '0' };
const PING_EVERY_MS = 5;
const REAL_USER = '127.0.0.1';
/** Other loopback addresses stand for other machines: the server sees them as other client IPs. */
const attacker = (n: number) => `127.0.0.${n + 2}`;

describe('passwords that are guessed first', () => {
  let server: TestApp;

  beforeAll(async () => {
    server = await startApp({ LOGIN_LIMIT_PER_IP: '0', LOGIN_LIMIT_PER_USERNAME: '0' });
  });
  afterAll(async () => {
    await server.close();
  });

  const registerWith = (username: string, password: string) =>
    request(server.baseUrl).post('/api/auth/register').send({ username, password });

  it.each(['password', 'password123', 'iloveyou', 'Sunshine1!', 'QWERTYUIOP', '12345678', '!dragon2024'])(
    'should refuse the common password "%s" with 400 saying why',
    async (password) => {
      const response = await registerWith(uniqueUsername('common'), password);
      expect(response.status).toBe(400);
      expect(response.body).toMatchObject({ code: 'bad_request' });
      expect(response.body.message).toMatch(/^password: .*most common passwords/);
    },
  );

  it.each([
    ['the username', (name: string) => name],
    ['the username in another case', (name: string) => name.toUpperCase()],
    ['the username reversed', (name: string) => [...name].reverse().join('')],
    ['the username with digits and a symbol', (name: string) => `${name}2024!`],
    ['the username without its symbols', (name: string) => name.replace(/_/g, '')],
    ['the username twice', (name: string) => name + name],
  ])('should refuse %s with 400 saying why', async (_, variant) => {
    const username = uniqueUsername('Alice');
    const response = await registerWith(username, variant(username));
    expect(response.status).toBe(400);
    expect(response.body.message).toMatch(/^password: must not be your username/);
  });

  it('should accept a password that is neither (the control)', async () => {
    expect((await registerWith(uniqueUsername('fine'), 'violet staple orbit')).status).toBe(201);
  });
});

describe('the sign-in limits and the real user', () => {
  let server: TestApp | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  const login = (from: string, username: string, password: string) =>
    requestFrom(from, server!.baseUrl, 'POST', '/api/auth/login', { username, password });

  it('should not lock the real user out when another address exhausts the per-username limit', async () => {
    server = await startApp({
      LOGIN_LIMIT_PER_USERNAME: '3',
      LOGIN_LIMIT_PER_IP: '0',
      LOGIN_FAILURES_PER_USERNAME: '0',
      ...NO_FRAME_LIMIT,
    });
    const { user } = await register(server.baseUrl);
    const bystander = await Bystander.start(server.wsUrl, PING_EVERY_MS);
    const statuses: number[] = [];
    for (let i = 0; i < 10; i++) statuses.push((await login(attacker(0), user.name, `guess ${i}`)).status);
    expect(statuses).toEqual([401, 401, 401, 429, 429, 429, 429, 429, 429, 429]);

    const real = await login(REAL_USER, user.name, TEST_PASSWORD);
    expect(real.status).toBe(200);
    const report = await bystander.stop();
    console.log(describeBystander('10 password guesses on one account from one other address', report));
    expect(report.unanswered).toBe(0);
  });

  it('should stop guesses spread over many addresses, but not the addresses the user signed in from', async () => {
    server = await startApp({
      LOGIN_FAILURES_PER_USERNAME: '5',
      LOGIN_LIMIT_PER_USERNAME: '0',
      LOGIN_LIMIT_PER_IP: '0',
      ...NO_FRAME_LIMIT,
    });
    const { user } = await register(server.baseUrl); // from REAL_USER: a known address from now on
    const bystander = await Bystander.start(server.wsUrl, PING_EVERY_MS);
    const statuses: number[] = [];
    // One guess per address, one after the other: the count is the same however the machine is loaded.
    for (let i = 0; i < 20; i++) statuses.push((await login(attacker(i), user.name, `guess ${i}`)).status);
    expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    expect(new Set(statuses.slice(5))).toEqual(new Set([429]));

    // A new address is refused even with the right password while the lockout lasts...
    const stranger = await login(attacker(100), user.name, TEST_PASSWORD);
    expect(stranger.status).toBe(429);
    expect(Number(stranger.headers['retry-after'])).toBeGreaterThan(0);
    // ...but the real user, from where they signed in before, is not.
    expect((await login(REAL_USER, user.name, TEST_PASSWORD)).status).toBe(200);
    // Other accounts are not affected.
    const other = await register(server.baseUrl);
    expect((await login(attacker(0), other.user.name, TEST_PASSWORD)).status).toBe(200);
    const report = await bystander.stop();
    console.log(describeBystander('20 password guesses on one account from 20 addresses', report));
    expect(report.unanswered).toBe(0);
  });

  it('should keep the bystander served through 60 concurrent wrong guesses (scrypt on every one)', async () => {
    server = await startApp({ LOGIN_LIMIT_PER_IP: '0', LOGIN_LIMIT_PER_USERNAME: '0', ...NO_FRAME_LIMIT });
    const { user } = await register(server.baseUrl);
    const bystander = await Bystander.start(server.wsUrl, PING_EVERY_MS);
    const statuses = await Promise.all(
      Array.from(
        { length: 60 },
        async (_, i) => (await login(attacker(i % 20), user.name, `guess ${i}`)).status,
      ),
    );
    const report = await bystander.stop();
    console.log(describeBystander('60 concurrent wrong passwords from 20 addresses', report));
    expect(new Set(statuses)).toEqual(new Set([401]));
    expect(report.unanswered).toBe(0);
  });
});
