import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import WebSocket from 'ws';
import { register } from './utils/accounts.js';
import { startApp, type TestApp } from './utils/start-app.js';
import { closeAll, TestClient } from './utils/test-client.js';

const CLOCK = /^\d{2}:\d{2}:\d{2}$/;

describe('the simple protocol (no subprotocol)', () => {
  let server: TestApp;
  const clients: TestClient[] = [];
  const simple = async () => {
    const client = await TestClient.connect(server.wsUrl, { protocols: [] });
    clients.push(client);
    return client;
  };

  beforeAll(async () => {
    server = await startApp();
  });
  afterEach(async () => {
    await closeAll(clients.splice(0));
  });
  afterAll(async () => {
    await server.close();
  });

  it('should echo {name, message} back as {name, message, time} to every simple client', async () => {
    const a = await simple();
    const b = await simple();
    a.sendRaw(JSON.stringify({ name: 'Alice', message: 'hi all' }));

    for (const client of [a, b]) {
      const frame = await client.next('simple');
      expect(frame).toMatchObject({ name: 'Alice', message: 'hi all', room: 'general' });
      expect(frame.time).toMatch(CLOCK);
    }
  });

  it('should call a sender without a name Anonymous', async () => {
    const a = await simple();
    a.sendRaw(JSON.stringify({ message: 'who am I' }));
    expect((await a.next('simple')).name).toBe('Anonymous');
    a.sendRaw(JSON.stringify({ name: '  ', message: 'still nobody' }));
    expect((await a.next('simple')).name).toBe('Anonymous');
  });

  it('should let simple and chat.v1 clients see each other’s messages', async () => {
    const plain = await simple();
    const v1 = await TestClient.joined(server.wsUrl, 'general', { name: 'Vera' });
    clients.push(v1);

    plain.sendRaw(JSON.stringify({ name: 'Sam', message: 'from simple' }));
    const atV1 = await v1.next('message', (m) => m.text === 'from simple');
    expect(atV1.user).toMatchObject({ name: 'Sam', guest: true });

    v1.send('send', { room: 'general', text: 'from v1', clientId: 'v1-1' });
    const atPlain = await plain.next('simple', (f) => f.message === 'from v1');
    expect(atPlain).toMatchObject({ name: 'Vera', message: 'from v1' });
    expect(atPlain.time).toMatch(CLOCK);
  });

  it('should never send envelope frames to simple clients, nor other rooms', async () => {
    const plain = await simple();
    const { token } = await register(server.baseUrl);
    const v1 = await TestClient.joined(server.wsUrl, 'elsewhere', { token });
    clients.push(v1);
    v1.send('send', { room: 'elsewhere', text: 'not for simple', clientId: 'e1' });
    await v1.next('ack');
    plain.sendRaw(JSON.stringify({ name: 'Sam', message: 'marker' }));
    await plain.next('simple', (f) => f.message === 'marker');
    // No welcome, no ack, no message from another room: only the marker ever arrived.
    expect(plain.pending()).toEqual([]);
  });

  it('should answer bad frames with a message-shaped error and keep working', async () => {
    const plain = await simple();
    plain.sendRaw('not json');
    const error = await plain.next('simple');
    expect(error).toMatchObject({ name: 'server', error: { code: 'bad_request' } });
    expect(String(error.message)).toContain('invalid JSON');
    expect(error.time).toMatch(CLOCK);

    plain.sendRaw(JSON.stringify({ name: 'Sam' }));
    expect(await plain.next('simple')).toMatchObject({ error: { code: 'bad_request' } });

    plain.sendRaw(JSON.stringify({ name: 'Sam', message: 'recovered' }));
    expect((await plain.next('simple')).message).toBe('recovered');
  });

  it('should refuse an unknown subprotocol at the upgrade with HTTP 400', async () => {
    await expect(TestClient.connect(server.wsUrl, { protocols: ['mqtt'] })).rejects.toThrow('HTTP 400');
  });

  it('should accept chat.v1 when it is one of several offered subprotocols', async () => {
    const client = await TestClient.connect(server.wsUrl, { protocols: ['chat.v2', 'chat.v1'] });
    clients.push(client);
    expect(client.socket.protocol).toBe('chat.v1');
    await client.next('welcome');
  });

  it('should refuse upgrades on paths other than /ws', async () => {
    const socket = new WebSocket(`ws://127.0.0.1:${server.port}/other`);
    const outcome = await new Promise<string>((resolve) => {
      socket.once('open', () => resolve('open'));
      socket.once('error', () => resolve('refused'));
    });
    expect(outcome).toBe('refused');
  });
});
