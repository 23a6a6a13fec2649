import type { ChatMessage, ReactionSummary } from '@chat/contracts';
import { replyPreview } from '../log-entries.js';
import { attachmentsOf } from '../upload-store.js';
import { storedSender } from '../stored-sender.js';

/** A message row with its reply's original (o_*) joined in. */
export interface MessageRow {
  id: string;
  room: string;
  seq: number;
  user_id: string;
  user_name: string;
  user_guest: number;
  user_bot: number;
  client_id: string;
  text: string;
  created_at: string;
  edited_at: string | null;
  deleted: number;
  reply_to: string | null;
  thread_id: string | null;
  reply_count: number;
  last_reply_at: string | null;
  mentions: string | null;
  o_user_id: string | null;
  o_user_name: string | null;
  o_user_guest: number | null;
  o_user_bot: number | null;
  o_text: string | null;
  o_deleted: number | null;
  /** JSON array of the uploads the message carries (see the step "files" of the migrations). */
  attachments: string | null;
}

/** A message's uploads (none on a tombstone), by the message's own key (user, clientId) and its room. */
const ATTACHMENTS = `CASE WHEN m.deleted = 1 THEN NULL ELSE (SELECT json_group_array(json_object('id', u.id,
    'name', u.name, 'size', u.size, 'type', u.type, 'width', u.width, 'height', u.height, 'thumbnail', u.thumbnail))
    FROM (SELECT * FROM uploads u WHERE u.owner_id = m.user_id AND u.client_id = m.client_id AND u.room = m.room
      ORDER BY u.position) u)
  END AS attachments`;

/** Every message column, and the original of a reply (for its quote), from `messages m LEFT JOIN messages o`. */
export const MESSAGE_SELECT = `SELECT m.id, m.room, m.seq, m.user_id, m.user_name, m.user_guest, m.user_bot,
  m.client_id, m.text, m.created_at, m.edited_at, m.deleted, m.reply_to, m.thread_id, m.reply_count,
  m.last_reply_at, m.mentions, o.user_id AS o_user_id, o.user_name AS o_user_name,
  o.user_guest AS o_user_guest, o.user_bot AS o_user_bot, o.text AS o_text, o.deleted AS o_deleted,
  ${ATTACHMENTS}
  FROM messages m LEFT JOIN messages o ON o.id = m.reply_to`;

/**
 * The message in its latest state. `reactions` is asked only for messages that may have some;
 * a row is cheap to turn into a message when nobody reacted (the usual case).
 */
export function toMessage(row: MessageRow, reactions: ReactionSummary[] = []): ChatMessage {
  const message: ChatMessage = {
    id: row.id,
    room: row.room,
    seq: row.seq,
    clientId: row.client_id,
    user: storedSender(row.user_id, row.user_name, row.user_guest === 1, row.user_bot === 1),
    text: row.text,
    time: row.created_at,
  };
  if (row.edited_at !== null) message.editedAt = row.edited_at;
  if (row.deleted === 1) message.deleted = true;
  if (reactions.length > 0) message.reactions = reactions;
  if (row.reply_to !== null && row.o_user_id !== null) {
    message.replyTo = replyPreview({
      id: row.reply_to,
      user: storedSender(row.o_user_id, row.o_user_name ?? '', row.o_user_guest === 1, row.o_user_bot === 1),
      text: row.o_text ?? '',
      deleted: row.o_deleted === 1,
    });
  }
  if (row.thread_id !== null) message.threadId = row.thread_id;
  if (row.thread_id !== null || row.reply_count > 0) {
    message.thread = { replyCount: row.reply_count, lastReplyAt: row.last_reply_at };
  }
  if (row.mentions !== null) message.mentions = JSON.parse(row.mentions) as string[];
  const attachments = attachmentsOf(row.attachments);
  if (attachments) message.attachments = attachments;
  return message;
}
