import type { ChatMessage, MessagesPage } from '@chat/contracts';
import request from 'supertest';
import { bearer } from './accounts.js';

/** Every message of a room, oldest first, read back page by page over HTTP. */
export async function allMessages(baseUrl: string, token: string, room = 'general'): Promise<ChatMessage[]> {
  const messages: ChatMessage[] = [];
  let before: number | undefined;
  for (;;) {
    const query = before === undefined ? '?limit=100' : `?limit=100&before=${before}`;
    const response = await request(baseUrl)
      .get(`/api/rooms/${room}/messages${query}`)
      .set(bearer(token))
      .expect(200);
    const page = response.body as MessagesPage;
    messages.unshift(...page.messages);
    if (!page.hasMore || page.messages.length === 0) return messages;
    before = page.messages[0]!.seq;
  }
}
