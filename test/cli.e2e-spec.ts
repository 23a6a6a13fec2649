import { execFile } from 'node:child_process';
import { afterEach, describe, expect, it } from '@jest/globals';
import { Webhook } from 'standardwebhooks';
import request from 'supertest';
import { bearer } from './utils/accounts.js';
import { createTestDatabase, postgresAvailability } from './utils/postgres.js';
import { describeWithService } from './utils/services.js';
import { startApp, type TestApp } from './utils/start-app.js';
import { createTempDir } from './utils/temp-dir.js';
import { WebhookReceiver } from './utils/webhook-receiver.js';

const postgres = await postgresAvailability();
/** The built CLI behind `npm run chat` (npm test builds first). */
const CLI = new URL('../apps/api/dist/cli/main.js', import.meta.url).pathname;

interface Run {
  code: number;
  stdout: string;
  stderr: string;
  /** The last line of stdout: the secret of `create` and `add`. */
  last: string;
}

/** Runs the CLI in an empty directory (no .env) with exactly `env`. */
function chat(env: Record<string, string>, ...args: string[]): Promise<Run> {
  const cwd = createTempDir('chat-cli-');
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [CLI, ...args],
      { env: { PATH: process.env.PATH ?? '', ...env }, cwd: cwd.path },
      (error, stdout, stderr) => {
        cwd.remove();
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, stdout, stderr, last: stdout.trimEnd().split('\n').at(-1) ?? '' });
      },
    );
  });
}

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const STORES = [
  {
    name: 'SQLite',
    available: { available: true, reason: 'SQLite' },
    open: () => {
      const dir = createTempDir();
      cleanups.push(() => dir.remove());
      return Promise.resolve({ DATA_DIR: dir.path });
    },
  },
  {
    name: 'PostgreSQL',
    available: postgres,
    open: async () => {
      const database = await createTestDatabase();
      cleanups.push(() => database.drop());
      return { DATABASE_URL: database.url };
    },
  },
];

for (const store of STORES) {
  describeWithService(`npm run chat on ${store.name}`, store.available, () => {
    it('should create a key (alone on the last line) that the server accepts until it is revoked', async () => {
      const env = await store.open();
      const created = await chat(env, 'api-key', 'create', '--name', 'ci', '--scopes', 'messages:write');
      expect(created.code).toBe(0);
      expect(created.last).toMatch(/^chat_sk_[A-Za-z0-9_-]{43}$/);
      expect(created.stdout.split('\n')[0]).toContain('Created API key "ci"');
      const server: TestApp = await startApp({ ...env, LOG_LEVEL: 'error' });
      cleanups.push(() => server.close());
      const post = () =>
        request(server.baseUrl)
          .post('/api/rooms/general/messages')
          .set(bearer(created.last))
          .send({ text: 'from ci' });
      expect((await post()).status).toBe(201);
      const listed = await chat(env, 'api-key', 'list');
      expect(listed.stdout).toContain('ci');
      expect(listed.stdout).not.toContain(created.last);
      expect((await chat(env, 'api-key', 'revoke', 'ci')).code).toBe(0);
      expect((await post()).status).toBe(401);
    });

    it('should create a read-only key that reads history and is refused a post', async () => {
      const env = await store.open();
      const created = await chat(
        env,
        'api-key',
        'create',
        '--name',
        'archiver',
        '--scopes',
        'messages:read,rooms:read',
      );
      expect(created.code).toBe(0);
      expect(created.stdout).toContain('Scopes: messages:read, rooms:read');
      const server: TestApp = await startApp({ ...env, LOG_LEVEL: 'error' });
      cleanups.push(() => server.close());
      const page = await request(server.baseUrl).get('/api/rooms/general/messages').set(bearer(created.last));
      expect(page.status).toBe(200);
      const post = await request(server.baseUrl)
        .post('/api/rooms/general/messages')
        .set(bearer(created.last))
        .send({ text: 'an archiver does not post' });
      expect(post.status).toBe(403);
      expect((post.body as { message: string }).message).toContain('"messages:write"');
    });

    it('should add a webhook (its secret alone on the last line) that the server delivers to', async () => {
      const env = await store.open();
      const hook = await WebhookReceiver.start();
      cleanups.push(() => hook.close());
      const private_ = { WEBHOOK_ALLOW_PRIVATE: 'true' };
      const added = await chat(
        { ...env, ...private_ },
        'webhook',
        'add',
        '--url',
        hook.url,
        '--events',
        'message.created',
      );
      expect(added.code).toBe(0);
      expect(added.last).toMatch(/^whsec_[A-Za-z0-9+/=]+$/);
      const server = await startApp({ ...env, ...private_, WEBHOOK_POLL_MS: '50', LOG_LEVEL: 'error' });
      cleanups.push(() => server.close());
      const key = (await chat(env, 'api-key', 'create', '--name', 'poster', '--scopes', 'messages:write'))
        .last;
      await request(server.baseUrl)
        .post('/api/rooms/general/messages')
        .set(bearer(key))
        .send({ text: 'hello hooks' });
      await hook.until((all) => all.length >= 1);
      const [first] = hook.received;
      expect(() =>
        new Webhook(added.last).verify(first!.raw, {
          'webhook-id': first!.id,
          'webhook-timestamp': first!.timestamp,
          'webhook-signature': first!.signature,
        }),
      ).not.toThrow();
      const listed = await chat(env, 'webhook', 'list');
      expect(listed.stdout).toContain(hook.url);
      expect((await chat(env, 'webhook', 'dead-letters')).stdout).toContain('No dead letters.');
    });
  });
}

describe('npm run chat, bad input', () => {
  const env = () => {
    const dir = createTempDir();
    cleanups.push(() => dir.remove());
    return { DATA_DIR: dir.path };
  };

  it('should print help for every area, exit 0', async () => {
    for (const args of [['--help'], ['api-key', '--help'], ['webhook', '--help']]) {
      const run = await chat(env(), ...args);
      expect(run.code).toBe(0);
      expect(run.stdout).toContain('npm run chat --');
    }
  });

  it('should refuse an unknown scope, a taken name, a bad URL and a private address, saying why', async () => {
    const e = env();
    const scope = await chat(e, 'api-key', 'create', '--name', 'x1', '--scopes', 'everything');
    expect(scope.code).toBe(1);
    expect(scope.stderr).toContain('unknown scope "everything"');
    expect(scope.stdout).toBe('');
    expect((await chat(e, 'api-key', 'create', '--name', 'dup', '--scopes', 'rooms:manage')).code).toBe(0);
    const taken = await chat(e, 'api-key', 'create', '--name', 'dup', '--scopes', 'rooms:manage');
    expect(taken.code).toBe(1);
    expect(taken.stderr).toContain('exists already');
    expect((await chat(e, 'webhook', 'add', '--url', 'file:///etc/passwd')).stderr).toContain(
      'http:// or https://',
    );
    const ssrf = await chat(e, 'webhook', 'add', '--url', 'http://localhost:9/x');
    expect(ssrf.code).toBe(1);
    expect(ssrf.stderr).toContain('WEBHOOK_ALLOW_PRIVATE');
    const usage = await chat(e, 'api-key', 'create', '--name', 'x2');
    expect(usage.code).toBe(2);
    expect((await chat(e, 'api-key', 'revoke', 'nope')).code).toBe(1);
    expect((await chat(e, 'nonsense')).code).toBe(2);
  });
});
