import request from 'supertest';
import { bearer, register, TEST_PASSWORD } from './accounts.js';
import { closeAll, TestClient } from './test-client.js';

/** A room with a conversation worth looking at, for screenshots and state tests. */
export interface Showcase {
  /** The reader: signs in with this username and {@link TEST_PASSWORD}. */
  reader: string;
  room: string;
  /** The text of the message that has a thread. */
  threadRoot: string;
  /** The other side of the reader's DM. */
  dmWith: string;
  close(): Promise<void>;
}

export { TEST_PASSWORD };

async function say(client: TestClient, room: string, text: string, threadId?: string): Promise<string> {
  const clientId = crypto.randomUUID();
  client.send('send', { room, text, clientId, ...(threadId && { threadId }) });
  return (await client.next('ack', (ack) => ack.clientId === clientId)).id;
}

/**
 * Seeds `baseUrl` with accounts pia.ramos (the reader), max and lena, a public room #design with
 * a topic and a conversation (grouped lines, formatting, a mention of the reader, `/me`, a guest,
 * a thread), and a DM from max to the reader.
 */
export async function seedShowcase(baseUrl: string, wsUrl: string): Promise<Showcase> {
  const room = 'design';
  const pia = await register(baseUrl, 'pia.ramos');
  const max = await register(baseUrl, 'max');
  const lena = await register(baseUrl, 'lena');
  await request(baseUrl)
    .post('/api/rooms')
    .set(bearer(pia.token))
    .send({ name: room, topic: 'Onboarding redesign: drafts, reviews, decisions' })
    .expect(201);
  const piaWs = await TestClient.joined(wsUrl, room, { token: pia.token });
  const maxWs = await TestClient.joined(wsUrl, room, { token: max.token });
  const lenaWs = await TestClient.joined(wsUrl, room, { token: lena.token });
  const guestWs = await TestClient.joined(wsUrl, room, { name: 'Olu' });

  const threadRoot = 'Draft of the **new onboarding** is up: www.example.com/onboarding';
  const rootId = await say(maxWs, room, `Morning all! ${threadRoot}`);
  await say(maxWs, room, 'Two things to look at:\n- the `welcome` step\n- the empty states');
  await say(lenaWs, room, '> the empty states\n\nAgreed, they read like errors right now.');
  await say(lenaWs, room, '/me pulls up the Figma file');
  await say(piaWs, room, '@max I can take the copy. The toast would be:\n```\ntoast.show("Saved")\n```');
  await say(guestWs, room, 'Hi! Just lurking from the research team 👋');
  await say(maxWs, room, '@pia.ramos perfect, thanks! _Ship it_ by Friday?');
  await say(lenaWs, room, 'I will review the copy first', rootId);
  await say(piaWs, room, 'Sure, I will send it over after lunch', rootId);

  const dm = await request(baseUrl).post('/api/dms').set(bearer(max.token)).send({ username: 'pia.ramos' });
  const dmRoom = (dm.body as { name: string }).name;
  maxWs.send('join', { room: dmRoom });
  await maxWs.next('joined', (joined) => joined.room === dmRoom);
  await say(maxWs, dmRoom, 'Quick one: can you look at the pricing page today?');

  return {
    reader: 'pia.ramos',
    room,
    threadRoot,
    dmWith: 'max',
    close: () => closeAll([piaWs, maxWs, lenaWs, guestWs]),
  };
}
