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

  it('should stop guesses spread over many addresses at two an hour per address, but never the addresses the user signed in from', async () => {
    server = await startApp({
      LOGIN_FAILURES_PER_USERNAME: '5',
      LOGIN_LIMIT_PER_USERNAME: '0',
      LOGIN_LIMIT_PER_IP: '0',
      ...NO_FRAME_LIMIT,
    });
    const { user } = await register(server.baseUrl); // from REAL_USER: a known address from now on
    const bystander = await Bystander.start(server.wsUrl, PING_EVERY_MS);
    const statuses: number[][] = [];
    // Three guesses per address, one after the other: the count is the same however the machine is loaded.
    for (let i = 0; i < 8; i++) {
      const mine: number[] = [];
      for (let j = 0; j < 3; j++) mine.push((await login(attacker(i), user.name, `guess ${i}.${j}`)).status);
      statuses.push(mine);
    }
    // The first address's three fail; the second's third comes after the 5th failure: refused,
    // and every address after it gets its two attempts of the hour, then 429.
    expect(statuses).toEqual([[401, 401, 401], ...Array.from({ length: 7 }, () => [401, 401, 429])]);
    const refused = await login(attacker(3), user.name, TEST_PASSWORD);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);

    // The real user, from where they signed in before, is not limited at all...
    for (let j = 0; j < 3; j++) expect((await login(REAL_USER, user.name, `typo ${j}`)).status).toBe(401);
    expect((await login(REAL_USER, user.name, TEST_PASSWORD)).status).toBe(200);
    // ...and other accounts are not affected.
    const other = await register(server.baseUrl);
    expect((await login(attacker(0), other.user.name, TEST_PASSWORD)).status).toBe(200);
    const report = await bystander.stop();
    console.log(describeBystander('24 password guesses on one account from 8 addresses', report));
    expect(report.unanswered).toBe(0);
  });

  it('should let the owner sign in from a new address after many addresses each stayed under their limits (the lockout attack)', async () => {
    server = await startApp({
      LOGIN_FAILURES_PER_USERNAME: '50',
      LOGIN_LIMIT_PER_USERNAME: '5',
      LOGIN_LIMIT_PER_IP: '30',
      ...NO_FRAME_LIMIT,
    });
    const { user } = await register(server.baseUrl);
    const bystander = await Bystander.start(server.wsUrl, PING_EVERY_MS);
    const statuses: number[] = [];
    // 11 addresses, 5 wrong passwords each at once: under both per-address limits, 55 in all.
    for (let i = 0; i < 11; i++) {
      const batch = await Promise.all(
        Array.from({ length: 5 }, (_, j) => login(attacker(48 + i), user.name, `wrong ${i}.${j}`)),
      );
      statuses.push(...batch.map((response) => response.status));
    }
    // The 50th failure locks the username; the last address still gets its two attempts.
    expect(statuses.filter((status) => status === 401)).toHaveLength(52);
    expect(statuses.filter((status) => status === 429)).toHaveLength(3);

    // The owner, from an address never seen before, with the right password: signed in.
    expect((await login('127.0.0.200', user.name, TEST_PASSWORD)).status).toBe(200);
    // The guessers are not: each has used its attempts of the hour.
    expect((await login(attacker(48), user.name, TEST_PASSWORD)).status).toBe(429);
    // A second new address gets its two attempts, then is refused like the others.
    expect((await login('127.0.0.201', user.name, 'wrong a')).status).toBe(401);
    expect((await login('127.0.0.201', user.name, 'wrong b')).status).toBe(401);
    expect((await login('127.0.0.201', user.name, TEST_PASSWORD)).status).toBe(429);
    const report = await bystander.stop();
    console.log(
      describeBystander('55 wrong passwords on one account from 11 addresses, then the owner', report),
    );
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
