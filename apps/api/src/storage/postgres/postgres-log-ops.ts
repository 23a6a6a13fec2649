import type { ChatMessage } from '@chat/contracts';
import { changeEventOf, replyPreview } from '../log-entries.js';
import type { ChangeDraft, MemberEventDraft, MessageDraft } from '../message-store.js';
import { storedSender } from '../stored-sender.js';
import { toAttachment } from '../upload-store.js';

/** One row chat_log_append returns per entry, in the order given (`ord`). */
export interface AppendRow {
  ord: number;
  status: string;
  id: string | null;
  seq: string | null;
  created_at: string | null;
  room: string | null;
  data: Record<string, unknown> | null;
}

/** One queued write of the room log. */
export type Write =
  | { op: 'message'; draft: MessageDraft }
  | { op: 'change'; draft: ChangeDraft }
  | { op: 'member'; draft: MemberEventDraft };

/** What chat_log_append reads of one entry (see the PostgreSQL migration step 7). */
export function opOf({
  write,
  id,
  time,
}: {
  write: Write;
  id: string;
  time: string;
}): Record<string, unknown> {
  const { draft } = write;
  const user = draft.user;
  if (write.op === 'member') {
    return {
      op: 'member',
      room: draft.room,
      userId: user.id,
      actorId: write.draft.by?.id,
      time,
      event: 'member',
      data: draft,
    };
  }
  if (write.op === 'change') {
    const change = changeEventOf(write.draft, time);
    const { seq: _seq, ...data } = change.data as { seq: number };
    if ('count' in data) delete data.count;
    return {
      ...write.draft,
      op: 'change',
      userId: user.id,
      user: undefined,
      time,
      event: change.event,
      data,
    };
  }
  const message = write.draft;
  return {
    op: 'message',
    id,
    room: message.room,
    userId: user.id,
    userName: user.name,
    userGuest: user.guest,
    userBot: user.bot === true,
    clientId: message.clientId,
    text: message.text,
    time,
    replyTo: message.replyTo,
    threadId: message.threadId,
    mentions: message.mentions && message.mentions.length > 0 ? message.mentions : undefined,
  };
}

/** The message just stored, built from the draft and what the append returned (no read back). */
export function storedMessage(draft: MessageDraft, id: string, row: AppendRow): ChatMessage {
  const message: ChatMessage = {
    id,
    room: draft.room,
    seq: Number(row.seq),
    clientId: draft.clientId,
    user: storedSender(draft.user.id, draft.user.name, draft.user.guest, draft.user.bot === true),
    text: draft.text,
    time: row.created_at!,
  };
  const extra = row.data as {
    replyCount: number | null;
    replyTo: {
      userId: string;
      userName: string;
      userGuest: boolean;
      userBot: boolean;
      text: string;
      deleted: boolean;
    } | null;
  } | null;
  if (draft.replyTo !== undefined && extra?.replyTo) {
    const o = extra.replyTo;
    message.replyTo = replyPreview({
      id: draft.replyTo,
      user: storedSender(o.userId, o.userName, o.userGuest, o.userBot),
      text: o.text,
      deleted: o.deleted,
    });
  }
  if (draft.threadId !== undefined) {
    message.threadId = draft.threadId;
    message.thread = { replyCount: extra?.replyCount ?? 1, lastReplyAt: message.time };
  }
  if (draft.mentions && draft.mentions.length > 0) message.mentions = [...draft.mentions];
  if (draft.attachments && draft.attachments.length > 0)
    message.attachments = draft.attachments.map(toAttachment);
  return message;
}
