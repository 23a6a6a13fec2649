import type { ChatMessage, User } from '@chat/contracts';
import { timeline, type PendingMessage } from '@chat/client';
import { dayKey } from '../../lib/time/format.js';
import { actionOf } from './action.js';

/** Messages of one author closer together than this share one header (avatar, name, time). */
export const GROUP_WINDOW_MS = 5 * 60 * 1000;

/** One row of the virtual list: a separator, the "New messages" line, or a message. */
export type Row =
  | { kind: 'day'; key: string; time: string }
  | { kind: 'unread'; key: string }
  | { kind: 'message'; key: string; message: ChatMessage; head: boolean }
  | { kind: 'pending'; key: string; pending: PendingMessage; head: boolean };

interface RowsInput {
  messages: readonly ChatMessage[];
  pending: readonly PendingMessage[];
  me: User;
  /** The id of the first unread message: the "New messages" line goes before it. */
  firstUnread?: string;
}

interface Item {
  userId: string;
  time: string;
  action: boolean;
}

/**
 * The rows of a conversation, in order (the user's pending messages where they wrote them, see
 * `timeline`): a day separator where a local day starts, the unread line, then each message marked `head` when it starts a group (new author, a gap of more than
 * five minutes, a new day, or an action line: `/me` stands on its own).
 */
export function messageRows({ messages, pending, me, firstUnread }: RowsInput): Row[] {
  const rows: Row[] = [];
  let previous: Item | null = null;
  const place = (item: Item, key: string): boolean => {
    let head = previous === null || previous.userId !== item.userId || previous.action || item.action;
    if (previous === null || dayKey(previous.time) !== dayKey(item.time)) {
      rows.push({ kind: 'day', key: `day-${key}`, time: item.time });
      head = true;
    } else if (Date.parse(item.time) - Date.parse(previous.time) > GROUP_WINDOW_MS) {
      head = true;
    }
    previous = item;
    return head;
  };
  // Pending messages where they were written (a message typed offline keeps its place).
  for (const entry of timeline(messages, pending)) {
    if (entry.kind === 'pending') {
      const p = entry.pending;
      const item = { userId: me.id, time: p.createdAt, action: false };
      rows.push({ kind: 'pending', key: p.clientId, pending: p, head: place(item, p.clientId) });
      continue;
    }
    const { message } = entry;
    const item = { userId: message.user.id, time: message.time, action: actionOf(message) !== null };
    const head = place(item, message.id);
    // The line is the reader's own: it does not regroup the room, so everyone sees the same
    // groups (as in Element). The day separator, when there is one, still comes first.
    if (message.id === firstUnread) rows.push({ kind: 'unread', key: 'unread' });
    rows.push({ kind: 'message', key: message.id, message, head });
  }
  return rows;
}
