import type { ChatMessage, ReactionSummary } from '@chat/contracts';
import { replyPreview } from '../log-entries.js';
import { attachmentsOf } from '../upload-store.js';
import { storedSender } from '../stored-sender.js';

/** A message row with its reply's original (o_*) and its reactions (for one reader) joined in. */
export interface MessageRow {
  id: string;
  room: string;
  seq: string;
  user_id: string;
  user_name: string;
  user_guest: boolean;
  user_bot: boolean;
  client_id: string;
  text: string;
  created_at: string;
  edited_at: string | null;
  deleted: boolean;
  reply_to: string | null;
  thread_id: string | null;
  reply_count: number;
  last_reply_at: string | null;
  mentions: string[] | null;
  o_user_id: string | null;
  o_user_name: string | null;
  o_user_guest: boolean | null;
  o_user_bot: boolean | null;
  o_text: string | null;
  o_deleted: boolean | null;
  reactions: ReactionSummary[] | null;
  /** The uploads the message carries (see the step "files" of the migrations). */
  attachments: unknown;
}

/**
 * Every column of `m` with the quoted original and the reactions summed up for `$viewer` (a
 * parameter the caller names): for `FROM messages m LEFT JOIN messages o ON o.id = m.reply_to`.
 * Emoji are ordered by their bytes ("C"), as SQLite orders them.
 */
export function messageColumns(viewer: string): string {
  return `m.*, o.user_id AS o_user_id, o.user_name AS o_user_name, o.user_guest AS o_user_guest,
    o.user_bot AS o_user_bot, left(o.text, 200) AS o_text, o.deleted AS o_deleted,
    (SELECT jsonb_agg(jsonb_build_object('emoji', x.emoji, 'count', x.count, 'me', x.me) ORDER BY x.emoji COLLATE "C")
       FROM (SELECT emoji, count(*)::int AS count, coalesce(bool_or(user_id = ${viewer}), FALSE) AS me
             FROM reactions WHERE message_id = m.id GROUP BY emoji) x) AS reactions,
    CASE WHEN m.deleted THEN NULL ELSE (SELECT jsonb_agg(jsonb_build_object('id', u.id, 'name', u.name,
       'size', u.size, 'type', u.type, 'width', u.width, 'height', u.height, 'thumbnail', u.thumbnail)
       ORDER BY u.position) FROM uploads u
       WHERE u.owner_id = m.user_id AND u.client_id = m.client_id AND u.room = m.room)
    END AS attachments`;
}

/** The message in its latest state; `me` is false without a viewer. */
export function toMessage(row: MessageRow): ChatMessage {
  const message: ChatMessage = {
    id: row.id,
    room: row.room,
    seq: Number(row.seq),
    clientId: row.client_id,
    user: storedSender(row.user_id, row.user_name, row.user_guest, row.user_bot),
    text: row.text,
    time: row.created_at,
  };
  if (row.edited_at !== null && row.edited_at !== undefined) message.editedAt = row.edited_at;
  if (row.deleted) message.deleted = true;
  if (row.reactions && row.reactions.length > 0) message.reactions = row.reactions;
  if (row.reply_to && row.o_user_id) {
    message.replyTo = replyPreview({
      id: row.reply_to,
      user: storedSender(
        row.o_user_id,
        row.o_user_name ?? '',
        row.o_user_guest === true,
        row.o_user_bot === true,
      ),
      text: row.o_text ?? '',
      deleted: row.o_deleted === true,
    });
  }
  if (row.thread_id) message.threadId = row.thread_id;
  if (row.thread_id || row.reply_count > 0) {
    message.thread = { replyCount: row.reply_count, lastReplyAt: row.last_reply_at };
  }
  if (row.mentions) message.mentions = row.mentions;
  const attachments = attachmentsOf(row.attachments);
  if (attachments) message.attachments = attachments;
  return message;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Message ids are UUID columns here: anything else names no message, and must not reach a cast (a 500). */
export function isUuid(id: string): boolean {
  return UUID.test(id);
}
