import { afterAll, afterEach, describe, expect, it } from '@jest/globals';
import type { ChatMessage, MessagesPage } from '@chat/contracts';
import request from 'supertest';
import { bearer, guest } from '../utils/accounts.js';
import { startApp, type TestApp } from '../utils/start-app.js';
import { createTempDir } from '../utils/temp-dir.js';
import { closeAll, TestClient } from '../utils/test-client.js';

const ANSWER = /^the server time is \d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z \(UTC\)$/;

/** The example bot apps/api/src/examples/time-bot/: answers `!time` through ChatCore.post. */
describe('example: the time bot', () => {
  const dataDir = createTempDir();
  let server: TestApp | undefined;
  const clients: TestClient[] = [];

  /** The same DATA_DIR every time: the restart test needs what the first run stored. */
  const start = async () => {
    server = await startApp({ DATA_DIR: dataDir.path });
    return server;
  };
  const history = async (app: TestApp) => {
    const { token } = await guest(app.baseUrl, 'Reader');
    const response = await request(app.baseUrl).get('/api/rooms/general/messages').set(bearer(token));
    expect(response.status).toBe(200);
    return (response.body as MessagesPage).messages;
  };
  /** Alice asks, and she and Bob each see her question, then the bot's answer right after it. */
  const ask = async (app: TestApp, clientId: string) => {
    const alice = await TestClient.joined(app.wsUrl, 'general', { name: 'Alice' });
    const bob = await TestClient.joined(app.wsUrl, 'general', { name: 'Bob' });
    clients.push(alice, bob);
    alice.send('send', { room: 'general', text: '!time', clientId });
    const ack = await alice.next('ack');
    const seen: ChatMessage[][] = await Promise.all([alice.take('message', 2), bob.take('message', 2)]);
    expect(seen[1]).toEqual(seen[0]);
    const [question, answer] = seen[0]!;
    expect(question).toMatchObject({ id: ack.id, seq: ack.seq, text: '!time' });
    expect(answer!.seq).toBe(ack.seq + 1);
    expect(answer!.text).toMatch(ANSWER);
    expect(answer!.user).toMatchObject({ name: 'timebot', guest: false, bot: true });
    return answer!;
  };

  afterEach(async () => {
    await closeAll(clients.splice(0));
  });
  afterAll(async () => {
    await server?.close();
    dataDir.remove();
  });

  it('should answer !time with a stored, seq-numbered bot message that everyone in the room sees', async () => {
    const app = await start();
    const answer = await ask(app, 't1');
    expect((await history(app)).at(-1)).toEqual(answer);
  });

  it('should leave other messages alone', async () => {
    const app = server!;
    const alice = await TestClient.joined(app.wsUrl, 'general', { name: 'Alice' });
    clients.push(alice);
    alice.send('send', { room: 'general', text: 'what is the !time?', clientId: 't2' });
    await alice.next('message', (message) => message.clientId === 't2');
    // The bot would answer right after the question: a later message of Alice's comes first.
    alice.send('send', { room: 'general', text: 'never mind', clientId: 't3' });
    const next = await alice.next('message');
    expect(next).toMatchObject({ clientId: 't3' });
  });

  it('should survive a restart: its answers are in the history and it still answers, as the same bot', async () => {
    const before = (await history(server!)).filter((message) => message.user.bot);
    expect(before).toHaveLength(1);
    await closeAll(clients.splice(0));
    await server!.close();

    const app = await start();
    expect((await history(app)).filter((message) => message.user.bot)).toEqual(before);
    const answer = await ask(app, 't4');
    expect(answer.user).toEqual(before[0]!.user);
  });
});
