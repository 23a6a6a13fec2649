import { MessageIdSchema } from '@chat/contracts';
import { BadRequestError } from '../../common/errors/chat-errors.js';
import type { MessageStore } from '../../storage/message-store.js';
import { checked, noSuchMessage } from './change-rules.js';

/**
 * A reply's `replyTo` must be a message of the same room; a `threadId` must be the root of a
 * thread there (a message that is not itself a reply in a thread). Looked up only when present:
 * a plain send costs no read. Both facts never change, so checking before the queue is safe.
 */
export async function checkReplyTargets(
  store: Pick<MessageStore, 'findMessage'>,
  room: string,
  replyTo: string | undefined,
  threadId: string | undefined,
): Promise<void> {
  if (replyTo === undefined && threadId === undefined) return;
  const [original, root] = await Promise.all([
    replyTo === undefined ? undefined : store.findMessage(checked('replyTo', MessageIdSchema, replyTo)),
    threadId === undefined ? undefined : store.findMessage(checked('threadId', MessageIdSchema, threadId)),
  ]);
  if (replyTo !== undefined && original?.room !== room) throw noSuchMessage(room, replyTo);
  if (threadId !== undefined) {
    if (root?.room !== room) throw noSuchMessage(room, threadId);
    if (root.threadId !== undefined) {
      throw new BadRequestError(
        `threadId: message "${threadId}" is a reply in a thread; use its thread's root ("${root.threadId}")`,
      );
    }
  }
}
