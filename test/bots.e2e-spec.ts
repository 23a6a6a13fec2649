import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { ChatMessageSchema, SimpleOutSchema, type User } from '@chat/contracts';
import pg from 'pg';
import request from 'supertest';
import { hashPassword } from '../apps/api/src/auth/password-hasher.js';
import { BadRequestError, ConflictError } from '../apps/api/src/common/errors/chat-errors.js';
import { SQLITE_FILE_NAME } from '../apps/api/src/storage/sqlite/sqlite-database.js';
import { bearer, register, TEST_PASSWORD, uniqueUsername } from './utils/accounts.js';
import { botAccounts, postAsBot } from './utils/bot-post.js';
import { createTestDatabase, postgresAvailability, type TestDatabase } from './utils/postgres.js';
import { describeWithService } from './utils/services.js';
import { startApp, type TestApp } from './utils/start-app.js';
import { createTempDir } from './utils/temp-dir.js';
import { closeAll, TestClient } from './utils/test-client.js';
import { postgresMigrateBefore, sqliteMigratedBefore } from './utils/migrations.js';

/** The sign-in limits have their own suite. */
const ENV = { LOGIN_LIMIT_PER_IP: '0', LOGIN_LIMIT_PER_USERNAME: '0' };

const postgres = await postgresAvailability();

interface Engine {
  name: string;
  available: { available: boolean; reason: string };
  /** The environment that selects this engine, on fresh storage that outlives a restart. */
  open(): Promise<{ env: Record<string, string>; drop(): Promise<void> }>;
}

const ENGINES: Engine[] = [
  {
    name: 'SQLite',
    available: { available: true, reason: 'SQLite' },
    open: async () => {
      const dir = createTempDir();
      return { env: { DATA_DIR: dir.path }, drop: async () => dir.remove() };
    },
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

const login = (server: TestApp, username: string, password: string) =>
  request(server.baseUrl).post('/api/auth/login').send({ username, password });

for (const engine of ENGINES) {
  describeWithService(`bots on ${engine.name}`, engine.available, () => {
    let storage: Awaited<ReturnType<Engine['open']>>;
    let server: TestApp;
    const clients: TestClient[] = [];

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

    const joined = async (room = 'general', token?: string) => {
      const client = await TestClient.joined(server.wsUrl, room, {
        ...(token ? { token } : { name: 'Gina' }),
      });
      clients.push(client);
      return client;
    };

    describe('BotAccounts.ensure', () => {
      it('should create a bot once and return the same user on every call, any case, and after a restart', async () => {
        const name = uniqueUsername('helper');
        const bots = botAccounts(server.app);
        const [first, concurrent] = await Promise.all([bots.ensure(name), bots.ensure(name)]);
        expect(first).toStrictEqual({ id: first.id, name, guest: false, bot: true });
        expect(concurrent).toStrictEqual(first);
        expect(await bots.ensure(name.toUpperCase())).toStrictEqual(first);

        await server.close();
        server = await startApp({ ...ENV, ...storage.env });
        expect(await botAccounts(server.app).ensure(name)).toStrictEqual(first);
      });

      it("should refuse a registered user's name, ignoring case", async () => {
        const person = await register(server.baseUrl, uniqueUsername('person'));
        const attempt = botAccounts(server.app).ensure(person.user.name.toUpperCase());
        await expect(attempt).rejects.toThrow(ConflictError);
        await expect(attempt).rejects.toThrow(/belongs to a registered account/);
      });

      it('should refuse a name that is not a valid username', async () => {
        await expect(botAccounts(server.app).ensure('no spaces please')).rejects.toThrow(BadRequestError);
      });
    });

    describe('POST /api/auth/login', () => {
      it("should refuse a bot's name with 403 and say why, whatever the password", async () => {
        const bot = await botAccounts(server.app).ensure(uniqueUsername('signer'));
        for (const password of ['x', 'wrong password', TEST_PASSWORD]) {
          const response = await login(server, bot.name.toUpperCase(), password);
          expect(response.status).toBe(403);
          expect(response.body).toEqual({
            code: 'forbidden',
            message: expect.stringMatching(/bot.*cannot sign in/),
          });
          expect(response.headers['set-cookie']).toBeUndefined();
        }
      });
    });

    describe('POST /api/auth/register', () => {
      it("should refuse a bot's name with 409, ignoring case", async () => {
        const bot = await botAccounts(server.app).ensure(uniqueUsername('taken'));
        for (const username of [bot.name, bot.name.toUpperCase()]) {
          const response = await request(server.baseUrl)
            .post('/api/auth/register')
            .send({ username, password: TEST_PASSWORD });
          expect(response.status).toBe(409);
          expect(response.body.code).toBe('conflict');
        }
      });
    });

    describe("a bot's message", () => {
      let bot: User;
      let person: User;
      let token: string;

      beforeAll(async () => {
        bot = await botAccounts(server.app).ensure(uniqueUsername('poster'));
        ({ user: person, token } = await register(server.baseUrl, uniqueUsername('human')));
      });

      it("should carry bot: true live, in joined, in history and in HTTP pages; a person's carries no bot field", async () => {
        const room = `bots-${engine.name.toLowerCase()}`;
        const watcher = await joined(room, token);
        const fromBot = await postAsBot(server.app, bot, room, 'beep boop');
        expect(fromBot.user).toStrictEqual(bot);
        const live = await watcher.next('message', (m) => m.id === fromBot.id);
        expect(ChatMessageSchema.parse(live)).toStrictEqual(fromBot);
        watcher.send('send', { room, text: 'hello bot', clientId: 'human-1' });
        const fromPerson = await watcher.next('message', (m) => m.clientId === 'human-1');
        expect(fromPerson.user).toStrictEqual(person);

        const users = [bot, person];
        const late = await TestClient.connect(server.wsUrl, { name: 'Late' });
        clients.push(late);
        await late.next('welcome');
        late.send('join', { room });
        const page = await late.next('joined', (data) => data.room === room);
        expect(page.messages.map((m) => m.user)).toStrictEqual(users);
        expect(page.messages[0]).toStrictEqual(fromBot);

        late.send('history', { room, before: page.lastSeq + 1 });
        const history = await late.next('history');
        expect(history.messages.map((m) => m.user)).toStrictEqual(users);

        const http = await request(server.baseUrl).get(`/api/rooms/${room}/messages`).set(bearer(token));
        expect(http.status).toBe(200);
        expect(http.body.messages.map((m: { user: User }) => m.user)).toStrictEqual(users);
      });

      it("should be marked bot: true on the simple protocol, and a person's line unchanged", async () => {
        const simple = await TestClient.connect(server.wsUrl, { protocols: [] });
        clients.push(simple);
        const fromBot = await postAsBot(server.app, bot, 'general', 'simple beep');
        const line = SimpleOutSchema.parse(await simple.next('simple', (data) => data.id === fromBot.id));
        expect(line).toMatchObject({ name: bot.name, message: 'simple beep', guest: false, bot: true });

        simple.sendRaw(JSON.stringify({ name: 'Sam', message: 'just a person' }));
        const mine = await simple.next('simple', (data) => data.message === 'just a person');
        expect(mine.guest).toBe(true);
        expect('bot' in mine).toBe(false);
      });
    });

    it("should keep a guest who calls itself by a bot's name marked a guest, never a bot", async () => {
      const bot = await botAccounts(server.app).ensure(uniqueUsername('lookalike'));
      const impostor = await TestClient.joined(server.wsUrl, 'general', { name: bot.name });
      clients.push(impostor);
      impostor.send('send', { room: 'general', text: 'trust me', clientId: 'fake-1' });
      const message = await impostor.next('message', (m) => m.clientId === 'fake-1');
      expect(message.user).toStrictEqual({ id: message.user.id, name: bot.name, guest: true });
      expect(message.user.id).not.toBe(bot.id);
    });
  });
}

/** Rows stored before bots existed: the migration must carry them forward unchanged. */
describe('data from before bots', () => {
  /** An old account still signs in; its old message reads as before (no bot field); bots work. */
  async function expectCarriedForward(server: TestApp, username: string): Promise<void> {
    const signedIn = await login(server, username, TEST_PASSWORD);
    expect(signedIn.status).toBe(200);
    const page = await request(server.baseUrl)
      .get('/api/rooms/general/messages')
      .set(bearer(signedIn.body.token as string));
    expect(page.body.messages).toStrictEqual([
      expect.objectContaining({
        text: 'from before',
        user: { id: 'user:old', name: username, guest: false },
      }),
    ]);
    const bot = await botAccounts(server.app).ensure(uniqueUsername('newbot'));
    const message = await postAsBot(server.app, bot, 'general', 'new');
    expect(message.seq).toBe(2);
    expect((await login(server, bot.name, TEST_PASSWORD)).status).toBe(403);
  }

  it('should carry SQLite accounts and messages forward', async () => {
    const dir = createTempDir();
    const db = sqliteMigratedBefore(join(dir.path, SQLITE_FILE_NAME), 'user_bot');
    const username = uniqueUsername('old');
    const now = new Date().toISOString();
    db.prepare(
      'INSERT INTO users (id, username, username_key, password_hash, created_at) VALUES (?, ?, ?, ?, ?)',
    ).run('user:old', username, username.toLowerCase(), await hashPassword(TEST_PASSWORD), now);
    db.exec("UPDATE rooms SET last_seq = 1 WHERE name = 'general'");
    db.prepare(
      `INSERT INTO messages (id, room, seq, user_id, user_name, user_guest, client_id, text, created_at)
       VALUES ('m-old', 'general', 1, 'user:old', ?, 0, 'c-old', 'from before', ?)`,
    ).run(username, now);
    db.close();
    const server = await startApp({ ...ENV, DATA_DIR: dir.path });
    try {
      await expectCarriedForward(server, username);
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

    it('should carry PostgreSQL accounts and messages forward, and take appends from the previous release', async () => {
      database = await createTestDatabase();
      const client = new pg.Client({ connectionString: database.url });
      await client.connect();
      const username = uniqueUsername('old');
      try {
        await postgresMigrateBefore(client, 'user_bot');
        await client.query(
          'INSERT INTO users (id, username, username_key, password_hash) VALUES ($1, $2, $3, $4)',
          ['user:old', username, username.toLowerCase(), await hashPassword(TEST_PASSWORD)],
        );
        await client.query(`SELECT * FROM chat_append_many($1::jsonb)`, [
          JSON.stringify([oldDraft(username, 'c-old', 'from before')]),
        ]);
      } finally {
        await client.end();
      }
      const server = await startApp({ ...ENV, DATABASE_URL: database.url });
      try {
        await expectCarriedForward(server, username);
        // An instance still on the previous release sends drafts without `userBot`.
        const late = new pg.Client({ connectionString: database.url });
        await late.connect();
        try {
          const { rows } = await late.query<{ seq: string; duplicate: boolean }>(
            'SELECT * FROM chat_append_many($1::jsonb)',
            [JSON.stringify([oldDraft(username, 'c-rolling', 'rolling upgrade')])],
          );
          expect(rows).toMatchObject([{ seq: '3', duplicate: false }]);
        } finally {
          await late.end();
        }
      } finally {
        await server.close();
      }
    });
  });
});

/** An append as the release before bots wrote it (no `userBot`). */
function oldDraft(username: string, clientId: string, text: string) {
  return {
    id: randomUUID(),
    room: 'general',
    userId: 'user:old',
    userName: username,
    userGuest: false,
    clientId,
    text,
    time: new Date().toISOString(),
  };
}
