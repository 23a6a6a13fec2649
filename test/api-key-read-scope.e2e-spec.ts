import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  SearchResultsSchema,
  UploadResponseSchema,
  type ApiKeyScope,
  type AuthResponse,
} from '@chat/contracts';
import request from 'supertest';
import { ApiKeysService } from '../apps/api/src/api-keys/api-keys.service.js';
import { bearer, register } from './utils/accounts.js';
import { membershipApi } from './utils/membership.js';
import { NO_RATE_LIMITS, startApp, type TestApp } from './utils/start-app.js';
import { closeAll, TestClient } from './utils/test-client.js';

const ENV = { ...NO_RATE_LIMITS, LOGIN_LIMIT_PER_IP: '0', LOGIN_LIMIT_PER_USERNAME: '0' };

describe('API keys that read (messages:read, rooms:read)', () => {
  let server: TestApp;
  let alice: AuthResponse;
  /** A word only this suite's messages have, to search for. */
  const word = `zq${randomUUID().replace(/-/g, '').slice(0, 10)}`;
  const secret = `sec-${randomUUID().slice(0, 8)}`;
  let fileId: string;

  const key = async (scopes: ApiKeyScope[]) =>
    server.app.get(ApiKeysService).create({ name: `rd${randomUUID().slice(0, 8)}`, scopes });
  const get = (token: string, path: string) => request(server.baseUrl).get(path).set(bearer(token));
  const texts = async (token: string, room: string) => {
    const page = await get(token, `/api/rooms/${room}/messages`);
    expect(page.status).toBe(200);
    return (page.body as { messages: { text: string }[] }).messages.map((m) => m.text);
  };
  const searchedRooms = async (token: string) => {
    const found = await get(token, `/api/search?q=${word}`);
    expect(found.status).toBe(200);
    return [...new Set(SearchResultsSchema.parse(found.body).results.map((r) => r.room))].sort();
  };

  beforeAll(async () => {
    server = await startApp(ENV);
    alice = await register(server.baseUrl);
    expect((await membershipApi(server.baseUrl, alice.token).createRoom(secret, 'private')).status).toBe(201);
    const upload = await request(server.baseUrl)
      .post('/api/uploads')
      .set(bearer(alice.token))
      .attach('file', Buffer.from('the secret plan'), 'plan.txt');
    expect(upload.status).toBe(201);
    fileId = UploadResponseSchema.parse(upload.body).id;
    const client = await TestClient.joined(server.wsUrl, secret, { token: alice.token });
    try {
      client.send('send', { room: secret, text: `private ${word}`, clientId: 'p-1', attachments: [fileId] });
      await client.next('ack', (data) => data.clientId === 'p-1');
    } finally {
      await closeAll([client]);
    }
    const inGeneral = await request(server.baseUrl)
      .post('/api/rooms/general/messages')
      .set(bearer(alice.token))
      .send({ text: `public ${word}` });
    expect(inGeneral.status).toBe(201);
  });
  afterAll(async () => {
    await server?.close();
  });

  it('should read pages, search and files of the rooms its bot may read, and of no other room', async () => {
    const reader = await key(['messages:read']);
    expect(await texts(reader.key, 'general')).toContain(`public ${word}`);
    expect((await get(reader.key, `/api/rooms/${secret}/messages`)).status).toBe(404);
    expect((await get(reader.key, `/api/files/${fileId}`)).status).toBe(404);
    expect(await searchedRooms(reader.key)).toEqual(['general']);

    // Once its bot is a member, the key reads the room as any member does.
    expect((await membershipApi(server.baseUrl, alice.token).add(secret, reader.record.botName)).status).toBe(
      201,
    );
    expect(await texts(reader.key, secret)).toContain(`private ${word}`);
    const file = await get(reader.key, `/api/files/${fileId}`);
    expect(file.status).toBe(200);
    expect(file.text).toBe('the secret plan');
    expect(await searchedRooms(reader.key)).toEqual(['general', secret].sort());
    const mine = await get(reader.key, '/api/me/rooms');
    expect(mine.status).toBe(200);
    expect((mine.body as { rooms: { name: string }[] }).rooms.map((r) => r.name)).toContain(secret);
  });

  it('should list the directory and members with rooms:read, which messages:read alone does not open', async () => {
    const reader = await key(['messages:read']);
    const refused = await get(reader.key, '/api/rooms');
    expect(refused.status).toBe(403);
    expect((refused.body as { message: string }).message).toContain('"rooms:read"');
    expect((await get(reader.key, '/api/rooms/general/members')).status).toBe(403);

    const lister = await key(['rooms:read']);
    expect((await get(lister.key, '/api/rooms')).status).toBe(200);
    const members = await get(lister.key, '/api/rooms/general/members');
    expect(members.status).toBe(200);
    expect(JSON.stringify(members.body)).toContain(alice.user.name);
    expect((await get(lister.key, `/api/rooms/${secret}/members`)).status).toBe(404);
    expect((await get(lister.key, '/api/me/rooms')).status).toBe(200);
    const noMessages = await get(lister.key, '/api/rooms/general/messages');
    expect(noMessages.status).toBe(403);
    expect((noMessages.body as { message: string }).message).toContain('"messages:read"');
  });

  it('should refuse a read-only key on every write route with 403 naming the missing scope, changing nothing', async () => {
    const readOnly = await key(['messages:read', 'rooms:read']);
    const room = `ro-${randomUUID().slice(0, 8)}`;
    const name = alice.user.name;
    const http = request(server.baseUrl);
    const writes: [string, () => request.Test, ApiKeyScope | 'none'][] = [
      [
        'post a message',
        () => http.post('/api/rooms/general/messages').send({ text: `bot ${word}` }),
        'messages:write',
      ],
      ['create a room', () => http.post('/api/rooms').send({ name: room }), 'rooms:manage'],
      ['set a topic', () => http.patch('/api/rooms/general').send({ topic: 'taken over' }), 'rooms:manage'],
      [
        'add a member',
        () => http.post(`/api/rooms/${secret}/members`).send({ username: name }),
        'members:manage',
      ],
      ['remove a member', () => http.delete(`/api/rooms/${secret}/members/${name}`), 'members:manage'],
      [
        'change a role',
        () => http.put(`/api/rooms/${secret}/members/${name}`).send({ role: 'member' }),
        'members:manage',
      ],
      ['ban', () => http.post('/api/rooms/general/bans').send({ username: name }), 'members:manage'],
      ['unban', () => http.delete(`/api/rooms/general/bans/${name}`), 'members:manage'],
      ['mute', () => http.post('/api/rooms/general/mutes').send({ username: name }), 'members:manage'],
      ['unmute', () => http.delete(`/api/rooms/general/mutes/${name}`), 'members:manage'],
      ['disconnect', () => http.post(`/api/users/${alice.user.id}/disconnect`).send({}), 'users:disconnect'],
      [
        'add a webhook',
        () => http.post('/api/webhooks').send({ url: 'https://hooks.example.com/x' }),
        'webhooks:manage',
      ],
      ['remove a webhook', () => http.delete('/api/webhooks/wh_nope'), 'webhooks:manage'],
      [
        'retry a dead letter',
        () => http.post('/api/webhooks/dead-letters/dl_nope/retry').send({}),
        'webhooks:manage',
      ],
      ['open a DM', () => http.post('/api/dms').send({ username: name }), 'none'],
    ];
    for (const [what, write, scope] of writes) {
      const refused = await write().set(bearer(readOnly.key));
      const message = (refused.body as { message?: string }).message ?? '';
      expect({ what, status: refused.status }).toEqual({ what, status: 403 });
      if (scope === 'none') expect(message).toContain('API keys cannot be used on this route');
      else expect({ what, names: message.includes(`"${scope}"`) }).toEqual({ what, names: true });
    }
    expect(await texts(readOnly.key, 'general')).not.toContain(`bot ${word}`);
    const directory = await get(readOnly.key, `/api/rooms?q=${room}`);
    expect((directory.body as { rooms: unknown[] }).rooms).toEqual([]);
    const general = await get(readOnly.key, '/api/rooms?q=general');
    const listed = (general.body as { rooms: { name: string; topic?: string }[] }).rooms;
    expect(listed.map((r) => r.name)).toContain('general');
    expect(listed.find((r) => r.name === 'general')?.topic).not.toBe('taken over');
    expect(await texts(alice.token, secret)).toEqual([`private ${word}`]);
  });

  it('should keep a write key writing and not reading, and let a key with both do both', async () => {
    const writer = await key(['messages:write']);
    const posted = await request(server.baseUrl)
      .post('/api/rooms/general/messages')
      .set(bearer(writer.key))
      .send({ text: 'written, not read' });
    expect(posted.status).toBe(201);
    for (const path of ['/api/rooms/general/messages', `/api/search?q=${word}`, '/api/me/rooms']) {
      const refused = await get(writer.key, path);
      expect({ path, status: refused.status }).toEqual({ path, status: 403 });
      expect((refused.body as { message: string }).message).toContain('"messages:read"');
    }

    const both = await key(['messages:write', 'messages:read']);
    const own = await request(server.baseUrl)
      .post('/api/rooms/general/messages')
      .set(bearer(both.key))
      .send({ text: `written and read ${word}` });
    expect(own.status).toBe(201);
    expect(await texts(both.key, 'general')).toContain(`written and read ${word}`);
  });
});
