import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { startApp, type TestApp } from './utils/start-app.js';
import { closeAll, TestClient } from './utils/test-client.js';

/** After each bad frame the connection must still work: a ping gets its pong. */
async function expectStillUsable(client: TestClient): Promise<void> {
  client.send('ping', { t: 7 });
  expect((await client.next('pong')).t).toBe(7);
}

describe('bad input on chat.v1', () => {
  let server: TestApp;
  let client: TestClient;
  const extra: TestClient[] = [];

  beforeAll(async () => {
    server = await startApp({ MAX_TEXT_LENGTH: '100' });
  });
  beforeEach(async () => {
    client = await TestClient.joined(server.wsUrl, 'general', { name: 'Mallory' });
  });
  afterEach(async () => {
    await closeAll([client, ...extra.splice(0)]);
  });
  afterAll(async () => {
    await server.close();
  });

  it.each([
    ['malformed JSON', '{"event": "send", '],
    ['not JSON at all', 'hello'],
    ['empty frame', ''],
  ])('should answer %s with bad_request and keep the connection', async (_, frame) => {
    client.sendRaw(frame);
    const error = await client.next('error');
    expect(error.code).toBe('bad_request');
    expect(error.message).toMatch(/invalid JSON/);
    await expectStillUsable(client);
  });

  it.each([
    ['an array', '[1,2,3]'],
    ['a number', '42'],
    ['null', 'null'],
    ['an object without event', '{"data":{}}'],
    ['a numeric event', '{"event":5,"data":{}}'],
  ])('should answer a frame that is %s with bad_request', async (_, frame) => {
    client.sendRaw(frame);
    const error = await client.next('error');
    expect(error.code).toBe('bad_request');
    expect(error.message).toMatch(/event/);
    await expectStillUsable(client);
  });

  it('should answer an unknown event with bad_request naming the known ones', async () => {
    client.sendRaw(JSON.stringify({ event: 'shout', data: {} }));
    const error = await client.next('error');
    expect(error).toMatchObject({ code: 'bad_request', event: 'shout' });
    expect(error.message).toContain('join, leave, send');
    await expectStillUsable(client);
  });

  it('should not route chat.v1 frames to the simple-protocol handler', async () => {
    client.sendRaw(JSON.stringify({ event: 'simple:message', data: { message: 'sneaky' } }));
    expect((await client.next('error')).code).toBe('bad_request');
    await expectStillUsable(client);
  });

  it.each([
    ['text of the wrong type', { room: 'general', text: 5, clientId: 'c1' }, 'text'],
    ['a missing clientId', { room: 'general', text: 'hi' }, 'clientId'],
    ['an invalid room name', { room: 'Not A Room!', text: 'hi', clientId: 'c2' }, 'room'],
    ['blank text', { room: 'general', text: '   ', clientId: 'c3' }, 'text'],
    ['data that is a string', 'hello', ''],
  ])('should reject a send with %s as bad_request', async (_, data, field) => {
    client.sendRaw(JSON.stringify({ event: 'send', data }));
    const error = await client.next('error');
    expect(error).toMatchObject({ code: 'bad_request', event: 'send' });
    expect(error.message).toContain(field);
    await expectStillUsable(client);
  });

  it('should reject history with an out-of-range limit', async () => {
    client.send('history', { room: 'general', limit: 1000 });
    const error = await client.next('error');
    expect(error).toMatchObject({ code: 'bad_request', event: 'history' });
    expect(error.message).toContain('limit');
  });

  it('should answer a binary frame with bad_request and keep the connection', async () => {
    client.sendRaw(Buffer.from([0xde, 0xad, 0xbe, 0xef]), { binary: true });
    const error = await client.next('error');
    expect(error.code).toBe('bad_request');
    expect(error.message).toContain('binary');
    await expectStillUsable(client);
  });

  it('should answer text over the limit with too_large, store nothing, and keep the connection', async () => {
    client.send('send', { room: 'general', text: 'é'.repeat(101), clientId: 'long' });
    const error = await client.next('error');
    expect(error).toMatchObject({ code: 'too_large', event: 'send', clientId: 'long' });
    expect(error.message).toContain('101 characters; the limit is 100');
    // Exactly at the limit is fine, and counts characters (code points), not UTF-16 units.
    client.send('send', { room: 'general', text: '😀'.repeat(100), clientId: 'at-limit' });
    await client.next('ack');
    client.send('history', { room: 'general' });
    const page = await client.next('history');
    expect(page.messages.map((m) => m.clientId)).not.toContain('long');
  });

  it('should refuse lone surrogates and noncharacters in text with bad_request, store nothing, and keep the connection', async () => {
    // JSON.stringify writes a lone surrogate as a \ud800 escape: the server parses it back.
    client.send('send', { room: 'general', text: '\ud800'.repeat(4000).slice(0, 100), clientId: 'lone' });
    expect(await client.next('error')).toMatchObject({
      code: 'bad_request',
      event: 'send',
      clientId: 'lone',
    });
    client.send('send', { room: 'general', text: 'a\uffffb', clientId: 'nonchar' });
    expect(await client.next('error')).toMatchObject({
      code: 'bad_request',
      event: 'send',
      clientId: 'nonchar',
    });
    client.send('send', { room: 'general', text: 'paired 😀', clientId: 'paired' });
    await client.next('ack');
    client.send('history', { room: 'general' });
    const ids = (await client.next('history')).messages.map((m) => m.clientId);
    expect(ids).toContain('paired');
    expect(ids).not.toContain('lone');
    expect(ids).not.toContain('nonchar');
    await expectStillUsable(client);
  });

  it('should refuse a lone surrogate in a simple-protocol message or name with a bad_request error', async () => {
    const plain = await TestClient.connect(server.wsUrl, { protocols: [] });
    extra.push(plain);
    plain.sendRaw(JSON.stringify({ name: 'Eve', message: 'x\udc00' }));
    expect(await plain.next('simple')).toMatchObject({ name: 'server', error: { code: 'bad_request' } });
    plain.sendRaw(JSON.stringify({ name: 'Eve\ud800', message: 'hi' }));
    expect(await plain.next('simple')).toMatchObject({ name: 'server', error: { code: 'bad_request' } });
    plain.sendRaw(JSON.stringify({ name: 'Eve', message: 'fine' }));
    expect(await plain.next('simple')).toMatchObject({ name: 'Eve', message: 'fine' });
  });

  it('should leave other clients undisturbed by one client’s garbage', async () => {
    const bystander = await TestClient.joined(server.wsUrl, 'general', { name: 'Bystander' });
    extra.push(bystander);
    client.sendRaw('}{');
    client.sendRaw(Buffer.from([1]), { binary: true });
    client.send('send', { room: 'general', text: 'legit', clientId: 'legit-1' });
    expect((await bystander.next('message', (m) => m.clientId === 'legit-1')).text).toBe('legit');
    expect(bystander.pending('error')).toEqual([]);
  });
});
