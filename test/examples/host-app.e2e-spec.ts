import { readdirSync, readFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import WebSocket from 'ws';
import { startHostApp } from '../../examples/host-app/src/host-app.js';
import { bearer } from '../utils/accounts.js';
import { createTempDir } from '../utils/temp-dir.js';
import { closeAll, TestClient } from '../utils/test-client.js';

const EXAMPLE = fileURLToPath(new URL('../../examples/host-app/', import.meta.url));
const API_SOURCES = fileURLToPath(new URL('../../apps/api/src/', import.meta.url));

/** A port that was free a moment ago: the app must know it before it listens (its JWKS URL). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
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

  beforeAll(async () => {
    dataDir = createTempDir();
    const port = await freePort();
    app = await startHostApp({ port, dataDir: dataDir.path });
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
