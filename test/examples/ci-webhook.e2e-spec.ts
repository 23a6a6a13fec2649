import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import type { ChatMessage, MessagesPage } from '@chat/contracts';
import request from 'supertest';
import { bearer, guest } from '../utils/accounts.js';
import { startApp, type TestApp } from '../utils/start-app.js';
import { closeAll, TestClient } from '../utils/test-client.js';

const SECRET = 'ci-webhook-test-secret-0123456789';

/** The example webhook apps/api/src/examples/ci-webhook/: POST /api/hooks/ci/:room as the bot ci-bot. */
describe('example: the CI webhook', () => {
  let server: TestApp;
  const clients: TestClient[] = [];

  const hook = (room = 'general') => request(server.baseUrl).post(`/api/hooks/ci/${room}`);
  const history = async () => {
    const { token } = await guest(server.baseUrl, 'Reader');
    const response = await request(server.baseUrl).get('/api/rooms/general/messages').set(bearer(token));
    expect(response.status).toBe(200);
    return (response.body as MessagesPage).messages;
  };
  /** A round trip: every frame the server sent this client before it is in the inbox. */
  const settled = async (client: TestClient) => {
    client.send('ping', {});
    await client.next('pong');
  };

  beforeAll(async () => {
    server = await startApp({ CI_WEBHOOK_SECRET: SECRET });
  });
  afterEach(async () => {
    await closeAll(clients.splice(0));
  });
  afterAll(async () => {
    await server.close();
  });

  it('should refuse a missing or wrong secret with 401, an oversized body or text with 413, and store nothing', async () => {
    const alice = await TestClient.joined(server.wsUrl, 'general', { name: 'Alice' });
    clients.push(alice);

    const missing = await hook().send({ text: 'build passed' });
    expect(missing.status).toBe(401);
    expect(missing.body).toMatchObject({ code: 'unauthorized' });
    const wrong = await hook().set('X-CI-Secret', `${SECRET}x`).send({ text: 'build passed' });
    expect(wrong.status).toBe(401);
    const longText = await hook()
      .set('X-CI-Secret', SECRET)
      .send({ text: 'x'.repeat(4001) });
    expect(longText.status).toBe(413);
    expect(longText.body).toMatchObject({ code: 'too_large' });
    const hugeBody = await hook()
      .set('X-CI-Secret', SECRET)
      .send({ text: 'x'.repeat(200 * 1024) });
    expect(hugeBody.status).toBe(413);
    const noText = await hook().set('X-CI-Secret', SECRET).send({ message: 'build passed' });
    expect(noText.status).toBe(400);
    const noRoom = await hook('no-such-room').set('X-CI-Secret', SECRET).send({ text: 'build passed' });
    expect(noRoom.status).toBe(404);

    await settled(alice);
    expect(alice.pending('message')).toEqual([]);
    expect(await history()).toEqual([]);
  });

  it('should post the text as the bot ci-bot: stored, and seen by every member as that message', async () => {
    const alice = await TestClient.joined(server.wsUrl, 'general', { name: 'Alice' });
    const bob = await TestClient.joined(server.wsUrl, 'general', { name: 'Bob' });
    clients.push(alice, bob);

    const response = await hook().set('X-CI-Secret', SECRET).send({ text: 'build #42 passed on main' });
    expect(response.status).toBe(201);
    const { message } = response.body as { message: ChatMessage };
    expect(message).toMatchObject({
      room: 'general',
      text: 'build #42 passed on main',
      user: { name: 'ci-bot', guest: false, bot: true },
    });
    expect(await alice.next('message')).toEqual(message);
    expect(await bob.next('message')).toEqual(message);
    expect((await history()).at(-1)).toEqual(message);
  });

  it('should post a text starting with / literally, never as a command of the bot', async () => {
    const alice = await TestClient.joined(server.wsUrl, 'general', { name: 'Alice' });
    clients.push(alice);
    const response = await hook().set('X-CI-Secret', SECRET).send({ text: '/kick Alice' });
    expect(response.status).toBe(201);
    expect((await alice.next('message')).text).toBe('/kick Alice');
  });

  it('should store a retry with the same Idempotency-Key once', async () => {
    const alice = await TestClient.joined(server.wsUrl, 'general', { name: 'Alice' });
    clients.push(alice);
    const first = await hook()
      .set('X-CI-Secret', SECRET)
      .set('Idempotency-Key', 'run-7')
      .send({ text: 'deployed' });
    const again = await hook()
      .set('X-CI-Secret', SECRET)
      .set('Idempotency-Key', 'run-7')
      .send({ text: 'deployed' });
    expect([first.status, again.status]).toEqual([201, 200]);
    expect((again.body as { message: ChatMessage }).message).toEqual(
      (first.body as { message: ChatMessage }).message,
    );
    await alice.next('message');
    await settled(alice);
    expect(alice.pending('message')).toEqual([]);
  });

  it('should be off (404) when CI_WEBHOOK_SECRET is unset', async () => {
    const plain = await startApp();
    try {
      const response = await request(plain.baseUrl).post('/api/hooks/ci/general').send({ text: 'hello' });
      expect(response.status).toBe(404);
    } finally {
      await plain.close();
    }
  });
});
