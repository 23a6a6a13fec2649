import { randomUUID } from 'node:crypto';
import type Database from 'better-sqlite3';
import type { MemberEvent, RoomChange } from '@chat/contracts';
import { ClientIdReusedError } from '../../common/errors/chat-errors.js';
import { changeEventOf, withSeq } from '../log-entries.js';
import type {
  AppendResult,
  ChangeDraft,
  ChangeResult,
  MemberEventDraft,
  MessageDraft,
} from '../message-store.js';
import { MESSAGE_SELECT, toMessage, type MessageRow } from './sqlite-log-rows.js';

/** One queued write: its result, or the error that refuses it alone (its neighbours still commit). */
export type LogWrite =
  | { op: 'message'; draft: MessageDraft }
  | { op: 'change'; draft: ChangeDraft }
  | { op: 'member'; draft: MemberEventDraft };
export type LogWriteResult = AppendResult | ChangeResult | MemberEvent | Error;

interface EventRow {
  type: string;
  data: string;
  room: string;
  created_at: string;
}

/**
 * The statements that append to a room's log, run inside the store's group-commit transaction.
 * Each takes the room's next seq from rooms.last_seq, so messages and changes share one sequence.
 */
export class SqliteLogWriter {
  private readonly statements;

  constructor(db: Database.Database) {
    this.statements = {
      messageByClientId: db.prepare<[string, string], MessageRow>(
        `${MESSAGE_SELECT} WHERE m.user_id = ? AND m.client_id = ?`,
      ),
      eventByClientId: db.prepare<[string, string], EventRow>(
        'SELECT type, data, room, created_at FROM room_events WHERE user_id = ? AND client_id = ?',
      ),
      nextSeq: db
        .prepare<[string, string], number>(
          `INSERT INTO rooms (name, last_seq, created_at) VALUES (?, 1, ?)
           ON CONFLICT (name) DO UPDATE SET last_seq = last_seq + 1
           RETURNING last_seq`,
        )
        .pluck(),
      insert: db.prepare(
        `INSERT INTO messages (id, room, seq, user_id, user_name, user_guest, user_bot, client_id, text,
           created_at, reply_to, thread_id, mentions)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      bumpThread: db
        .prepare<[string, string], number>(
          'UPDATE messages SET reply_count = reply_count + 1, last_reply_at = ? WHERE id = ? RETURNING reply_count',
        )
        .pluck(),
      replySummary: db.prepare('UPDATE messages SET reply_count = ?, last_reply_at = ? WHERE id = ?'),
      mention: db.prepare('INSERT OR IGNORE INTO message_mentions (user_id, room, seq) VALUES (?, ?, ?)'),
      byId: db.prepare<[string], MessageRow>(`${MESSAGE_SELECT} WHERE m.id = ?`),
      target: db.prepare<[string, string], { seq: number; deleted: number }>(
        'SELECT seq, deleted FROM messages WHERE id = ? AND room = ?',
      ),
      edit: db.prepare('UPDATE messages SET text = ?, edited_at = ? WHERE id = ?'),
      tombstone: db.prepare("UPDATE messages SET text = '', deleted = 1 WHERE id = ?"),
      dropReactions: db.prepare('DELETE FROM reactions WHERE message_id = ?'),
      react: db.prepare(
        'INSERT OR IGNORE INTO reactions (message_id, emoji, user_id, created_at) VALUES (?, ?, ?, ?)',
      ),
      unreact: db.prepare('DELETE FROM reactions WHERE message_id = ? AND emoji = ? AND user_id = ?'),
      reactionCount: db
        .prepare<[string, string], number>(
          'SELECT count(*) FROM reactions WHERE message_id = ? AND emoji = ?',
        )
        .pluck(),
      logEvent: db.prepare(
        `INSERT INTO room_events (room, seq, type, message_id, message_seq, user_id, client_id, data, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
    };
  }

  write(entry: LogWrite): LogWriteResult {
    try {
      if (entry.op === 'message') return this.message(entry.draft);
      if (entry.op === 'change') return this.change(entry.draft);
      return this.member(entry.draft);
    } catch (error) {
      if (error instanceof ClientIdReusedError) return error;
      throw error;
    }
  }

  private message(draft: MessageDraft): AppendResult {
    const { user, clientId } = draft;
    const existing = this.statements.messageByClientId.get(user.id, clientId);
    if (existing) return { message: toMessage(existing), duplicate: true };
    const taken = this.statements.eventByClientId.get(user.id, clientId);
    if (taken) throw new ClientIdReusedError(clientId, taken.room, 'an edit, delete or reaction');
    const time = new Date().toISOString();
    const seq = this.statements.nextSeq.get(draft.room, time)!;
    const id = randomUUID();
    const mentions = draft.mentions && draft.mentions.length > 0 ? draft.mentions : null;
    this.statements.insert.run(
      id,
      draft.room,
      seq,
      user.id,
      user.name,
      user.guest ? 1 : 0,
      user.bot ? 1 : 0,
      clientId,
      draft.text,
      time,
      draft.replyTo ?? null,
      draft.threadId ?? null,
      mentions && JSON.stringify(mentions),
    );
    if (draft.threadId !== undefined) {
      const count = this.statements.bumpThread.get(time, draft.threadId) ?? 1;
      this.statements.replySummary.run(count, time, id);
    }
    for (const mentioned of mentions ?? []) this.statements.mention.run(mentioned, draft.room, seq);
    // Plain messages are built here, without reading the row back: the send path stays as cheap as before.
    if (draft.replyTo === undefined && draft.threadId === undefined) {
      return {
        message: toMessage({
          id,
          room: draft.room,
          seq,
          user_id: user.id,
          user_name: user.name,
          user_guest: user.guest ? 1 : 0,
          user_bot: user.bot ? 1 : 0,
          client_id: clientId,
          text: draft.text,
          created_at: time,
          edited_at: null,
          deleted: 0,
          reply_to: null,
          thread_id: null,
          reply_count: 0,
          last_reply_at: null,
          mentions: mentions && JSON.stringify(mentions),
          o_user_id: null,
          o_user_name: null,
          o_user_guest: null,
          o_user_bot: null,
          o_text: null,
          o_deleted: null,
          attachments: draft.attachments ? JSON.stringify(draft.attachments) : null,
        }),
        duplicate: false,
      };
    }
    return { message: toMessage(this.statements.byId.get(id)!), duplicate: false };
  }

  private change(draft: ChangeDraft): ChangeResult {
    const { user, clientId } = draft;
    const logged = this.statements.eventByClientId.get(user.id, clientId);
    if (logged) {
      const change = { event: logged.type, data: JSON.parse(logged.data) as unknown } as RoomChange;
      return { status: 'duplicate', change, time: logged.created_at };
    }
    const message = this.statements.messageByClientId.get(user.id, clientId);
    if (message) return { status: 'client_id_used', room: message.room };
    const target = this.statements.target.get(draft.id, draft.room);
    if (!target) return { status: 'not_found' };
    if (target.deleted === 1) return { status: 'deleted' };
    const time = new Date().toISOString();
    const seq = this.statements.nextSeq.get(draft.room, time)!;
    let count = 0;
    if (draft.type === 'edit') this.statements.edit.run(draft.text, time, draft.id);
    else if (draft.type === 'delete') {
      this.statements.tombstone.run(draft.id);
      this.statements.dropReactions.run(draft.id);
    } else {
      if (draft.on) this.statements.react.run(draft.id, draft.emoji, user.id, time);
      else this.statements.unreact.run(draft.id, draft.emoji, user.id);
      count = this.statements.reactionCount.get(draft.id, draft.emoji) ?? 0;
    }
    const change = withSeq(changeEventOf(draft, time), seq, count);
    this.log(change, draft.id, target.seq, user.id, clientId, time);
    return { status: 'applied', change, time };
  }

  private member(draft: MemberEventDraft): MemberEvent {
    const time = new Date().toISOString();
    const seq = this.statements.nextSeq.get(draft.room, time)!;
    const data: MemberEvent = { ...draft, seq };
    this.log({ event: 'member', data }, null, null, draft.by?.id ?? draft.user.id, null, time);
    return data;
  }

  private log(
    change: RoomChange,
    messageId: string | null,
    messageSeq: number | null,
    userId: string,
    clientId: string | null,
    time: string,
  ): void {
    const { room, seq } = change.data;
    this.statements.logEvent.run(
      room,
      seq,
      change.event,
      messageId,
      messageSeq,
      userId,
      clientId,
      JSON.stringify(change.data),
      time,
    );
  }
}
