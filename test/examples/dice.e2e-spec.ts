import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { startApp, type TestApp } from '../utils/start-app.js';
import { closeAll, TestClient } from '../utils/test-client.js';

/** The example module apps/api/src/examples/dice/: one slash command, registered by one line. */
describe('example: /roll', () => {
  let server: TestApp;
  const clients: TestClient[] = [];

  beforeAll(async () => {
    server = await startApp();
  });
  afterEach(async () => {
    await closeAll(clients.splice(0));
  });
  afterAll(async () => {
    await server.close();
  });

  it('should store one roll that the sender and everyone in the room see alike', async () => {
    const alice = await TestClient.joined(server.wsUrl, 'general', { name: 'Alice' });
    const bob = await TestClient.joined(server.wsUrl, 'general', { name: 'Bob' });
    clients.push(alice, bob);
    alice.send('send', { room: 'general', text: '/roll 2d6', clientId: 'd1' });
    const ack = await alice.next('ack');
    const [seen, own] = await Promise.all([bob.next('message'), alice.next('message')]);
    expect(seen).toEqual(own);
    expect(seen).toMatchObject({ id: ack.id, seq: ack.seq, clientId: 'd1' });
    const match = /^Alice rolled 2d6: ([1-6]) \+ ([1-6]) = (\d+)$/.exec(seen.text);
    expect(match).not.toBeNull();
    expect(Number(match![3])).toBe(Number(match![1]) + Number(match![2]));
  });

  it('should answer a bad roll privately with the usage and store nothing', async () => {
    const alice = await TestClient.joined(server.wsUrl, 'general', { name: 'Alice' });
    clients.push(alice);
    alice.send('send', { room: 'general', text: '/roll 500d6', clientId: 'd2' });
    expect(await alice.next('notice')).toMatchObject({
      clientId: 'd2',
      text: 'usage: /roll NdM, with 1-20 dice of 2-1000 sides (e.g. /roll 2d6)',
    });
    alice.send('ping', {});
    await alice.next('pong');
    expect(alice.pending('message')).toEqual([]);
  });

  it('should be listed by /help', async () => {
    const alice = await TestClient.joined(server.wsUrl, 'general', { name: 'Alice' });
    clients.push(alice);
    alice.send('send', { room: 'general', text: '/help', clientId: 'd3' });
    const { text } = await alice.next('notice');
    expect(text).toContain('/roll NdM: roll dice for the room, e.g. /roll 2d6');
    expect(text).toContain('/kick <username>');
  });
});
