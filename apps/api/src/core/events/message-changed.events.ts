import type { MessageDeleted, MessageEdited, ReactionEvent } from '@chat/contracts';

/**
 * Emitted once an edit is durably logged (never for a duplicate): the new text, who edited and
 * the edit's own seq. Like MessageStoredEvent, listeners run after the sender's ack.
 */
export class MessageEditedEvent {
  static readonly eventName = 'chat.message.edited';

  constructor(readonly edit: MessageEdited) {}
}

/** Emitted once a delete is durably logged: the message is a tombstone from `deletion.seq` on. */
export class MessageDeletedEvent {
  static readonly eventName = 'chat.message.deleted';

  constructor(readonly deletion: MessageDeleted) {}
}

/** Emitted once a reaction is put or taken back (`on`), with the emoji's count after the change. */
export class ReactionChangedEvent {
  static readonly eventName = 'chat.reaction.changed';

  constructor(readonly reaction: ReactionEvent) {}
}
