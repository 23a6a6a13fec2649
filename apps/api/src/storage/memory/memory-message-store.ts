import { randomUUID } from 'node:crypto';
import type { ChatMessage } from '@chat/contracts';
import { fitPage } from '../page-budget.js';
import type { AppendResult, MessageDraft, MessagePage, MessageStore, PageQuery } from '../message-store.js';

/** Keeps messages in process memory: for unit tests, and nothing that must survive a restart. */
export class MemoryMessageStore implements MessageStore {
  private readonly rooms = new Map<string, ChatMessage[]>();
  private readonly byClientId = new Map<string, ChatMessage>();

  async append(draft: MessageDraft): Promise<AppendResult> {
    const key = `${draft.user.id}\u0000${draft.clientId}`;
    const existing = this.byClientId.get(key);
    if (existing) return { message: existing, duplicate: true };
    const messages = this.roomMessages(draft.room);
    const message: ChatMessage = {
      id: randomUUID(),
      room: draft.room,
      seq: messages.length + 1,
      clientId: draft.clientId,
      user: draft.user,
      text: draft.text,
      time: new Date().toISOString(),
    };
    messages.push(message);
    this.byClientId.set(key, message);
    return { message, duplicate: false };
  }

  async findByClientId(userId: string, clientId: string): Promise<ChatMessage | undefined> {
    return this.byClientId.get(`${userId}\u0000${clientId}`);
  }

  async readPage(
    room: string,
    { after = 0, before = Infinity, limit, maxBytes }: PageQuery,
  ): Promise<MessagePage> {
    const messages = this.roomMessages(room);
    // seq n sits at index n - 1, so the range is a slice; one more than `limit` tells hasMore.
    const end = Math.max(after, Math.min(messages.length, before - 1));
    const start = Math.max(after, end - limit - 1);
    const newestFirst = messages.slice(start, end).reverse();
    return { ...fitPage(newestFirst, limit, maxBytes), lastSeq: messages.length };
  }

  async close(): Promise<void> {}

  private roomMessages(room: string): ChatMessage[] {
    let messages = this.rooms.get(room);
    if (!messages) {
      messages = [];
      this.rooms.set(room, messages);
    }
    return messages;
  }
}
