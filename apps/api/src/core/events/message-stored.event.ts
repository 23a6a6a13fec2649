import type { ChatMessage } from '@chat/contracts';

/**
 * Emitted once a message is durably stored (never for a duplicate send): the place for modules
 * that react to the conversation without changing it (bots, webhooks, search indexing, audit).
 * Listeners run after the sender's ack; they cannot slow the chat down or fail it.
 */
export class MessageStoredEvent {
  static readonly eventName = 'chat.message.stored';

  constructor(readonly message: ChatMessage) {}
}
