import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import { Webhook } from 'standardwebhooks';
import request from 'supertest';
import WebSocket from 'ws';
import { startHostApp } from '../../examples/host-app/src/host-app.js';
import { ChatServiceClient } from '../../examples/host-app/src/service/chat-service-client.js';
import { ReceivedEvents, type ReceivedEvent } from '../../examples/host-app/src/webhooks/received-events.js';
import { bearer } from '../utils/accounts.js';
import { createTempDir } from '../utils/temp-dir.js';
import { closeAll, TestClient } from '../utils/test-client.js';
import { runChatCli } from './chat-cli.js';
import { freePort } from './free-port.js';

const EXAMPLE = fileURLToPath(new URL('../../examples/host-app/', import.meta.url));
const API_SOURCES = fileURLToPath(new URL('../../apps/api/src/', import.meta.url));

/** Resolves once `condition` holds (checked every 50 ms), or fails saying what was awaited. */
async function until(what: string, condition: () => boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`still waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function sourcesOf(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
    .map((entry) => join(entry.parentPath, entry.name));
}

/** The first frame the host gateway sends, or what closed it. */
function firstFrame(socket: WebSocket): Promise<string> {
  return new Promise((resolve, reject) => {
    socket.once('message', (raw) => resolve(raw.toString()));
    socket.once('close', (code) => reject(new Error(`closed with ${code} before any frame`)));
    socket.once('error', reject);
  });
}

describe('examples/host-app: a Nest app that imports the chat', () => {
  let dataDir: ReturnType<typeof createTempDir>;
  let app: INestApplication;
  let baseUrl: string;
  let wsUrl: string;
  let apiKey: string;
  let webhookSecret: string;

  beforeAll(async () => {
    dataDir = createTempDir();
    const port = await freePort();
    // The operator's steps of the guide, against the example's database, before it starts:
    // a key for the host's CI service, and the host's own receiver as a webhook endpoint.
    const cli = { DATA_DIR: dataDir.path, WEBHOOK_ALLOW_PRIVATE: 'true' };
    apiKey = await runChatCli(cli, 'api-key', 'create', '--name', 'ci', '--scopes', 'messages:write');
    webhookSecret = await runChatCli(cli, 'webhook', 'add', '--url', `http://127.0.0.1:${port}/hooks/chat`);
    expect(apiKey).toMatch(/^chat_sk_[\w-]{43}$/);
    expect(webhookSecret).toMatch(/^whsec_/);
    app = await startHostApp({ port, dataDir: dataDir.path, webhookSecret });
    baseUrl = `http://127.0.0.1:${port}`;
    wsUrl = `ws://127.0.0.1:${port}`;
  });

  afterAll(async () => {
    await app?.close();
    dataDir?.remove();
  });

  async function signIn(username: string): Promise<string> {
    const response = await request(baseUrl).post('/auth/sign-in').send({ username });
    expect(response.status).toBe(200);
    return (response.body as { token: string }).token;
  }

  it("should serve the host's own route", async () => {
    const response = await request(baseUrl).get('/hello');
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ hello: 'from the host app' });
  });

  it("should serve the host's own gateway on /host-ws, without any chat frame", async () => {
    // No subprotocol, no token: the chat would refuse both; the host gateway does not care.
    const socket = new WebSocket(`${wsUrl}/host-ws`);
    await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
    try {
      const reply = firstFrame(socket);
      socket.send(JSON.stringify({ event: 'echo', data: { text: 'ping' } }));
      // The very first frame is the echo: no chat welcome, error or hello came before it.
      expect(JSON.parse(await reply)).toEqual({ event: 'echo', data: { text: 'ping' } });
    } finally {
      socket.close();
    }
  });

  it("should let the host's users into the chat's /ws and HTTP API with the host's own tokens", async () => {
    const token = await signIn('ada');
    const me = await request(baseUrl).get('/api/me').set(bearer(token));
    expect(me.status).toBe(200);
    expect(me.body).toEqual({ id: 'host:member-ada', name: 'ada', guest: false });

    const ada = await TestClient.joined(`${wsUrl}/ws`, 'general', { token });
    const grace = await TestClient.joined(`${wsUrl}/ws`, 'general', { token: await signIn('grace') });
    try {
      ada.send('send', { room: 'general', text: 'hi from a host user', clientId: 'host-app-1' });
      const seen = await grace.next('message', (message) => message.text === 'hi from a host user');
      expect(seen.user).toEqual({ id: 'host:member-ada', name: 'ada', guest: false });
    } finally {
      await closeAll([ada, grace]);
    }
  });

  it("should refuse the chat's own sign-up here (the host's users only)", async () => {
    const response = await request(baseUrl)
      .post('/api/auth/register')
      .send({ username: 'outsider', password: 'correct horse battery' });
    expect(response.status).toBe(403);
  });

  it("should deliver the host bot's message, posted through the core API", async () => {
    const reader = await TestClient.joined(`${wsUrl}/ws`, 'general', { token: await signIn('reader') });
    try {
      const posted = await request(baseUrl)
        .post('/greeter/announce')
        .send({ room: 'general', text: 'welcome to the host app', id: 'greeting-1' });
      expect(posted.status).toBe(201);
      const message = await reader.next('message', (m) => m.text === 'welcome to the host app');
      expect(message.user).toMatchObject({ name: 'greeter', bot: true });
      expect(message.id).toBe((posted.body as { id: string }).id);
    } finally {
      await reader.close();
    }
  });

  it("should let the host's CI service post with an API key, once per Idempotency-Key", async () => {
    const reader = await TestClient.joined(`${wsUrl}/ws`, 'general', { token: await signIn('watcher') });
    try {
      const ci = new ChatServiceClient(baseUrl, apiKey);
      const first = await ci.post('general', 'build #42 passed', 'run-42');
      expect(first.status).toBe(201);
      expect(first.message.user).toMatchObject({ name: 'ci-bot', bot: true });
      const seen = await reader.next('message', (m) => m.text === 'build #42 passed');
      expect(seen.id).toBe(first.message.id);
      // A retry of the same run (a timeout, a re-run job) stores nothing more.
      const again = await ci.post('general', 'build #42 passed', 'run-42');
      expect(again).toEqual({ status: 200, message: first.message });
      await expect(
        new ChatServiceClient(baseUrl, 'chat_sk_not-a-key').post('general', 'x', 'k'),
      ).rejects.toThrow(/401/);
    } finally {
      await reader.close();
    }
  });

  it('should deliver a signed webhook for every message (user, bot, API key) once, in order per room', async () => {
    const received = app.get(ReceivedEvents);
    const ada = await TestClient.joined(`${wsUrl}/ws`, 'general', { token: await signIn('ada') });
    try {
      ada.send('send', { room: 'general', text: 'from a user, over the socket', clientId: 'hooked-1' });
      const fromUser = (await ada.next('ack', (ack) => ack.clientId === 'hooked-1')).id;
      const greeted = await request(baseUrl)
        .post('/greeter/announce')
        .send({ room: 'general', text: 'from the bot, through the core' });
      const fromBot = (greeted.body as { id: string }).id;
      const fromKey = (await new ChatServiceClient(baseUrl, apiKey).post('general', 'from CI', 'run-43'))
        .message.id;

      const created = () => received.all().filter((event) => event.type === 'message.created');
      const createdIds = () => created().map((event) => event.data.id as string);
      await until('the three messages as webhooks', () =>
        [fromUser, fromBot, fromKey].every((id) => createdIds().includes(id)),
      );
      // Every message of the room since the endpoint was added, each once: the ones above and
      // those of the earlier tests, compared with the room's own history.
      const history = (
        await TestClient.joinedWith(`${wsUrl}/ws`, 'general', { token: await signIn('auditor') })
      ).joined;
      const stored = history.messages.map((message) => message.id);
      expect(stored).toEqual(expect.arrayContaining([fromUser, fromBot, fromKey]));
      await until('every stored message as a webhook', () => stored.every((id) => createdIds().includes(id)));
      expect(new Set(createdIds()).size).toBe(createdIds().length);
      // Nothing was even sent twice (no crash, every answer a 204): the dedupe had nothing to do.
      expect(received.redelivered).toBe(0);
      expect(createdIds().filter((id) => stored.includes(id))).toEqual(stored);
      expect(created().find((event) => event.data.id === fromKey)?.data).toMatchObject({
        text: 'from CI',
        user: { name: 'ci-bot', bot: true },
      });

      // In order per room: every event (messages, members) of a room comes with a larger seq.
      const byRoom = new Map<string, number[]>();
      for (const event of received.all()) {
        const room = event.data.room as string;
        byRoom.set(room, [...(byRoom.get(room) ?? []), event.data.seq as number]);
      }
      for (const seqs of byRoom.values()) expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
      expect(new Set(byRoom.get('general')).size).toBe(byRoom.get('general')?.length);
    } finally {
      await ada.close();
    }
  });

  it('should refuse a webhook that the chat did not sign, and act once on a redelivered one', async () => {
    const received = app.get(ReceivedEvents);
    const body = JSON.stringify({ type: 'message.created', timestamp: new Date().toISOString(), data: {} });
    const forged = new Webhook(`whsec_${Buffer.alloc(32, 7).toString('base64')}`);
    const refused = await request(baseUrl)
      .post('/hooks/chat')
      .set('content-type', 'application/json')
      .set(signed(forged, 'msg_forged', body))
      .send(body);
    expect(refused.status).toBe(401);
    expect(received.all().some((event) => event.webhookId === 'msg_forged')).toBe(false);

    // A redelivery (the chat retries after a lost answer) carries the same webhook-id.
    const delivered: ReceivedEvent = received.all()[0]!;
    const count = received.all().length;
    const replay = JSON.stringify({
      type: delivered.type,
      timestamp: delivered.timestamp,
      data: delivered.data,
    });
    const again = await request(baseUrl)
      .post('/hooks/chat')
      .set('content-type', 'application/json')
      .set(signed(new Webhook(webhookSecret), delivered.webhookId, replay))
      .send(replay);
    expect(again.status).toBe(204);
    expect(received.all()).toHaveLength(count);
    expect(received.redelivered).toBe(1);
  });

  it('should reach the chat only through its public entry, @chat/api (no file of apps/api edited or deep-imported)', () => {
    const sources = sourcesOf(join(EXAMPLE, 'src'));
    expect(sources.length).toBeGreaterThan(5);
    for (const file of sources) {
      const imports = [...readFileSync(file, 'utf8').matchAll(/from '([^']+)'/g)].map((match) => match[1]!);
      const intoTheChat = imports.filter(
        (path) => path.includes('apps/api') || path.startsWith('@chat/api/'),
      );
      expect({ file: relative(EXAMPLE, file), intoTheChat }).toEqual({
        file: relative(EXAMPLE, file),
        intoTheChat: [],
      });
    }
    // Nor does the chat know the example: it could be deleted without a trace in apps/api.
    const mentions = sourcesOf(API_SOURCES).filter((file) => readFileSync(file, 'utf8').includes('host-app'));
    expect(mentions).toEqual([]);
  });
});

/** The three Standard Webhooks headers for `body`, signed now by `webhook`. */
function signed(webhook: Webhook, id: string, body: string): Record<string, string> {
  const now = new Date();
  return {
    'webhook-id': id,
    'webhook-timestamp': String(Math.floor(now.getTime() / 1000)),
    'webhook-signature': webhook.sign(id, now, body),
  };
}
