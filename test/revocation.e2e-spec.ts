import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { AuthResponseSchema, CloseCode, type AuthResponse } from '@chat/contracts';
import jwt from 'jsonwebtoken';
import pg from 'pg';
import request from 'supertest';
import { hashPassword } from '../apps/api/src/auth/password-hasher.js';
import { SQLITE_FILE_NAME } from '../apps/api/src/storage/sqlite/sqlite-database.js';
import { bearer, register, TEST_PASSWORD, uniqueUsername } from './utils/accounts.js';
import { Bystander, describeBystander } from './utils/bystander.js';
import { startCluster, type Cluster } from './utils/cluster.js';
import { createTestDatabase, postgresAvailability, type TestDatabase } from './utils/postgres.js';
import { redisAvailability, SHARED_REDIS_URL } from './utils/redis.js';
import { describeWithService } from './utils/services.js';
import { startApp, type TestApp } from './utils/start-app.js';
import { createTempDir } from './utils/temp-dir.js';
import { closeAll, TestClient } from './utils/test-client.js';
import { postgresMigrateBefore, sqliteMigratedBefore } from './utils/migrations.js';

const JWT_SECRET = 'revocation-secret-0123456789abcdef0123456789abcdef';
const NEW_PASSWORD = 'a brand new passphrase';
const COOKIE = 'chat_token';
/** Sign-in and frame limits are not what these suites are about (the bystander pings often). */
const ENV = { JWT_SECRET, LOGIN_LIMIT_PER_IP: '0', LOGIN_LIMIT_PER_USERNAME: '0', FRAME_RATE_PER_SEC: '0' };
const PING_EVERY_MS = 5;

const [postgres, redis] = await Promise.all([postgresAvailability(), redisAvailability()]);

/** Expects the server to refuse this connection: an `unauthorized` error frame, then close 4401. */
async function expectRefused(client: TestClient): Promise<string> {
  const error = await client.next('error');
  expect(error.code).toBe('unauthorized');
  expect((await client.closed).code).toBe(CloseCode.unauthorized);
  expect(client.pending('welcome')).toEqual([]);
  return error.message;
}

/** Expects an open connection to be told its session ended, then closed with 4401. */
async function expectClosedAsRevoked(client: TestClient): Promise<void> {
  const error = await client.next('error', (e) => e.code === 'unauthorized', 10_000);
  expect(error.message).toMatch(/signed out/);
  expect((await client.closed).code).toBe(CloseCode.unauthorized);
}

interface Engine {
  name: string;
  available: { available: boolean; reason: string };
  /** The environment that selects this engine, on fresh storage. */
  open(): Promise<{ env: Record<string, string>; drop(): Promise<void> }>;
}

const ENGINES: Engine[] = [
  {
    name: 'SQLite',
    available: { available: true, reason: 'SQLite' },
    open: async () => ({ env: {}, drop: async () => undefined }),
  },
  {
    name: 'PostgreSQL',
    available: postgres,
    open: async () => {
      const database = await createTestDatabase();
      return { env: { DATABASE_URL: database.url }, drop: () => database.drop() };
    },
  },
];

for (const engine of ENGINES) {
  describeWithService(`token revocation on ${engine.name}`, engine.available, () => {
    let server: TestApp;
    let storage: Awaited<ReturnType<Engine['open']>>;
    const clients: TestClient[] = [];
    const connect = async (token: string) => {
      const client = await TestClient.connect(server.wsUrl, { token });
      clients.push(client);
      return client;
    };
    const login = async (username: string, password = TEST_PASSWORD) =>
      request(server.baseUrl).post('/api/auth/login').send({ username, password });
    const me = (token: string) => request(server.baseUrl).get('/api/me').set(bearer(token));

    beforeAll(async () => {
      storage = await engine.open();
      server = await startApp({ ...ENV, ...storage.env });
    });
    afterEach(async () => {
      await closeAll(clients.splice(0));
    });
    afterAll(async () => {
      await server?.close();
      await storage?.drop();
    });

    it('should revoke every token of the account on sign-out, and close the connections they opened with 4401', async () => {
      const first = await register(server.baseUrl);
      const second = AuthResponseSchema.parse((await login(first.user.name)).body);
      const open = await connect(first.token);
      expect((await open.next('welcome')).user).toEqual(first.user);
      const bystander = await Bystander.start(server.wsUrl, PING_EVERY_MS);

      const out = await request(server.baseUrl).post('/api/auth/logout').set(bearer(second.token));
      expect(out.status).toBe(204);
      await expectClosedAsRevoked(open);
      for (const token of [first.token, second.token]) {
        expect((await me(token)).status).toBe(401);
        expect(await expectRefused(await connect(token))).toMatch(/signed out/);
        const byCookie = await TestClient.connect(server.wsUrl, {
          headers: { Cookie: `${COOKIE}=${token}` },
        });
        clients.push(byCookie);
        await expectRefused(byCookie);
      }
      // Whoever stole a token keeps trying it: 3 waves of 100 upgrades and 100 HTTP requests.
      for (let wave = 0; wave < 3; wave++) {
        const attempts = await Promise.all(Array.from({ length: 100 }, () => connect(first.token)));
        const codes = await Promise.all(attempts.map(async (client) => (await client.closed).code));
        expect(new Set(codes)).toEqual(new Set([CloseCode.unauthorized]));
        const statuses = await Promise.all(
          Array.from({ length: 100 }, async () => (await me(second.token)).status),
        );
        expect(new Set(statuses)).toEqual(new Set([401]));
      }
      const report = await bystander.stop();
      console.log(
        describeBystander(`300 upgrades and 300 requests with revoked tokens (${engine.name})`, report),
      );
      expect(report.unanswered).toBe(0);

      // Signing in again works, and the new token does.
      const again = AuthResponseSchema.parse((await login(first.user.name)).body);
      expect((await me(again.token)).body).toEqual(first.user);
      expect((await (await connect(again.token)).next('welcome')).user).toEqual(first.user);
    });

    it('should answer sign-out with 204 and drop the cookie also for a revoked or missing token', async () => {
      const { token } = await register(server.baseUrl);
      expect((await request(server.baseUrl).post('/api/auth/logout').set(bearer(token))).status).toBe(204);
      const again = await request(server.baseUrl).post('/api/auth/logout').set(bearer(token));
      expect(again.status).toBe(204);
      expect(String(again.headers['set-cookie'])).toContain(`${COOKIE}=;`);
      expect((await request(server.baseUrl).post('/api/auth/logout')).status).toBe(204);
    });

    describe('POST /api/auth/password', () => {
      const change = (token: string, body: object) =>
        request(server.baseUrl).post('/api/auth/password').set(bearer(token)).send(body);

      it('should change the password, revoke the earlier tokens and close their connections with 4401', async () => {
        const registered = await register(server.baseUrl);
        const other = AuthResponseSchema.parse((await login(registered.user.name)).body);
        const open = await connect(other.token);
        await open.next('welcome');

        const changed = await change(registered.token, {
          currentPassword: TEST_PASSWORD,
          newPassword: NEW_PASSWORD,
        });
        expect(changed.status).toBe(200);
        const session: AuthResponse = AuthResponseSchema.parse(changed.body);
        expect(session.user).toEqual(registered.user);
        expect(String(changed.headers['set-cookie'])).toContain(`${COOKIE}=${session.token}`);

        await expectClosedAsRevoked(open);
        for (const token of [registered.token, other.token]) {
          expect((await me(token)).status).toBe(401);
          await expectRefused(await connect(token));
        }
        expect((await me(session.token)).body).toEqual(registered.user);
        expect((await (await connect(session.token)).next('welcome')).user).toEqual(registered.user);
        expect((await login(registered.user.name)).status).toBe(401);
        expect((await login(registered.user.name, NEW_PASSWORD)).status).toBe(200);
      });

      it('should refuse a wrong current password with 401 and change nothing', async () => {
        const { token, user } = await register(server.baseUrl);
        const response = await change(token, {
          currentPassword: 'not the password',
          newPassword: NEW_PASSWORD,
        });
        expect(response.status).toBe(401);
        expect(response.body.message).toContain('currentPassword');
        expect((await me(token)).status).toBe(200);
        expect((await login(user.name)).status).toBe(200);
      });

      it.each([
        ['a common password', 'password123'],
        ['the username', 'USERNAME'],
        ['a password that is too short', 'short'],
      ])('should refuse %s as the new one with 400 and change nothing', async (_, newPassword) => {
        const username = uniqueUsername('changer');
        const { token } = await register(server.baseUrl, username);
        const response = await change(token, {
          currentPassword: TEST_PASSWORD,
          newPassword: newPassword === 'USERNAME' ? username.toUpperCase() : newPassword,
        });
        expect(response.status).toBe(400);
        expect(response.body).toMatchObject({ code: 'bad_request' });
        expect(response.body.message).toContain('password');
        expect((await me(token)).status).toBe(200);
      });

      it('should refuse guests with 403 and requests without a token with 401', async () => {
        const guest = await request(server.baseUrl).post('/api/auth/guest').send({ name: 'Gus' });
        const asGuest = await change(guest.body.token as string, {
          currentPassword: 'x',
          newPassword: NEW_PASSWORD,
        });
        expect(asGuest.status).toBe(403);
        const anonymous = await request(server.baseUrl)
          .post('/api/auth/password')
          .send({ currentPassword: TEST_PASSWORD, newPassword: NEW_PASSWORD });
        expect(anonymous.status).toBe(401);
      });
    });
  });
}

/** Accounts stored before token versions existed: the migration must carry them forward. */
describe('accounts from before token versions', () => {
  const legacyToken = (id: string, name: string) =>
    jwt.sign({ sub: id, name, guest: false }, JWT_SECRET, { algorithm: 'HS256', expiresIn: 3600 });

  /** Signs in with the old password and an old token (no `ver`), then signs out: both stop working. */
  async function expectCarriedForward(server: TestApp, id: string, username: string): Promise<void> {
    const old = legacyToken(id, username);
    expect((await request(server.baseUrl).get('/api/me').set(bearer(old))).status).toBe(200);
    const login = await request(server.baseUrl)
      .post('/api/auth/login')
      .send({ username, password: TEST_PASSWORD });
    expect(login.status).toBe(200);
    expect(login.body.user).toEqual({ id, name: username, guest: false });
    await request(server.baseUrl).post('/api/auth/logout').set(bearer(old)).expect(204);
    expect((await request(server.baseUrl).get('/api/me').set(bearer(old))).status).toBe(401);
    expect(
      (
        await request(server.baseUrl)
          .get('/api/me')
          .set(bearer(login.body.token as string))
      ).status,
    ).toBe(401);
  }

  it('should keep SQLite accounts and their tokens working after the migration', async () => {
    const dir = createTempDir();
    const db = sqliteMigratedBefore(join(dir.path, SQLITE_FILE_NAME), 'token_version');
    const username = uniqueUsername('old');
    db.prepare(
      'INSERT INTO users (id, username, username_key, password_hash, created_at) VALUES (?, ?, ?, ?, ?)',
    ).run(
      'user:old',
      username,
      username.toLowerCase(),
      await hashPassword(TEST_PASSWORD),
      new Date().toISOString(),
    );
    db.close();
    const server = await startApp({ ...ENV, DATA_DIR: dir.path });
    try {
      await expectCarriedForward(server, 'user:old', username);
    } finally {
      await server.close();
      dir.remove();
    }
  });

  describeWithService('on PostgreSQL', postgres, () => {
    let database: TestDatabase;
    afterAll(async () => {
      await database?.drop();
    });

    it('should keep PostgreSQL accounts and their tokens working after the migration', async () => {
      database = await createTestDatabase();
      const client = new pg.Client({ connectionString: database.url });
      await client.connect();
      const username = uniqueUsername('old');
      try {
        await postgresMigrateBefore(client, 'token_version');
        await client.query(
          'INSERT INTO users (id, username, username_key, password_hash) VALUES ($1, $2, $3, $4)',
          ['user:old', username, username.toLowerCase(), await hashPassword(TEST_PASSWORD)],
        );
      } finally {
        await client.end();
      }
      const server = await startApp({ ...ENV, DATABASE_URL: database.url });
      try {
        await expectCarriedForward(server, 'user:old', username);
      } finally {
        await server.close();
      }
    });
  });
});

const cluster = {
  available: postgres.available && redis.available,
  reason: [postgres, redis].map((service) => service.reason).join(' and '),
};

describeWithService('token revocation across two instances', cluster, () => {
  let running: Cluster;
  const clients: TestClient[] = [];

  beforeAll(async () => {
    running = await startCluster(SHARED_REDIS_URL, 2);
  });
  afterAll(async () => {
    await closeAll(clients.splice(0));
    await running?.stop();
  });

  it('should close on instance B the connections of an account that signed out on instance A', async () => {
    const [a, b] = running.servers;
    const { token, user } = await register(a!.baseUrl);
    const onB = await TestClient.connect(b!.wsUrl, { token });
    clients.push(onB);
    expect((await onB.next('welcome')).user).toEqual(user);

    await request(a!.baseUrl).post('/api/auth/logout').set(bearer(token)).expect(204);
    await expectClosedAsRevoked(onB);
    const again = await TestClient.connect(b!.wsUrl, { token });
    clients.push(again);
    await expectRefused(again);
  });
});
