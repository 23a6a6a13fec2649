import type { ChatMessage } from '@chat/contracts';
import type { PendingMessage } from './chat-state.js';

/** One line of a conversation as shown: a stored message, or one of ours not acknowledged yet. */
export type TimelineEntry =
  { kind: 'message'; message: ChatMessage } | { kind: 'pending'; pending: PendingMessage };

/**
 * A conversation's stored messages with our pending ones where they were written: each pending
 * message right after the messages up to its `afterSeq`, so one typed offline does not land
 * after what others wrote meanwhile. Once acknowledged it leaves the outbox and its stored copy
 * takes its server position (once: the outbox drops it when the copy or the ack arrives).
 * Without `afterSeq` (outboxes saved by older versions) it goes last.
 */
export function timeline(
  messages: readonly ChatMessage[],
  pending: readonly PendingMessage[],
): TimelineEntry[] {
  const queue = pending
    .map((p, index) => ({ p, index, after: p.afterSeq ?? Number.POSITIVE_INFINITY }))
    .sort((a, b) => a.after - b.after || a.index - b.index);
  const entries: TimelineEntry[] = [];
  let next = 0;
  for (const message of messages) {
    while (next < queue.length && queue[next]!.after < message.seq)
      entries.push({ kind: 'pending', pending: queue[next++]!.p });
    entries.push({ kind: 'message', message });
  }
  for (; next < queue.length; next++) entries.push({ kind: 'pending', pending: queue[next]!.p });
  return entries;
}
