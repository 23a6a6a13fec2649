import { randomUUID } from 'node:crypto';
import type { ChatMessage, MemberEvent, ReactionSummary, RoomChange } from '@chat/contracts';
import { ClientIdReusedError } from '../../common/errors/chat-errors.js';
import { changeEventOf, replyPreview, withSeq } from '../log-entries.js';
import { fitPage, fitPageForward } from '../page-budget.js';
import { toAttachment } from '../upload-store.js';
import type {
  AppendResult,
  ChangeDraft,
  ChangeResult,
  LogEntry,
  MemberEventDraft,
  MessageDraft,
  MessagePage,
  MessageStore,
  PageQuery,
} from '../message-store.js';

/** A message as kept here: its latest state, without the per-reader parts. */
interface Stored {
  message: ChatMessage;
  /** emoji -> user ids, in the order first put. */
  reactions: Map<string, Set<string>>;
}

type Taken = { kind: 'message'; message: ChatMessage } | { kind: 'change'; change: RoomChange; time: string };

/** Keeps the room logs in process memory: for unit tests, and nothing that must survive a restart. */
export class MemoryMessageStore implements MessageStore {
  /** room -> its log; seq n sits at index n - 1. */
  private readonly logs = new Map<string, { seq: number; entry: LogEntry | null }[]>();
  private readonly messages = new Map<string, Stored>();
  private readonly byClientId = new Map<string, Taken>();

  async append(draft: MessageDraft): Promise<AppendResult> {
    const taken = this.byClientId.get(key(draft.user.id, draft.clientId));
    if (taken?.kind === 'message') return { message: this.latest(taken.message.id), duplicate: true };
    if (taken)
      throw new ClientIdReusedError(draft.clientId, taken.change.data.room, 'an edit, delete or reaction');
    const log = this.logOf(draft.room);
    const time = new Date().toISOString();
    const message: ChatMessage = {
      id: randomUUID(),
      room: draft.room,
      seq: log.length + 1,
      clientId: draft.clientId,
      user: draft.user,
      text: draft.text,
      time,
    };
    if (draft.replyTo !== undefined) {
      const original = this.messages.get(draft.replyTo)?.message;
      if (original) message.replyTo = replyPreview(original);
    }
    if (draft.threadId !== undefined) {
      message.threadId = draft.threadId;
      const root = this.messages.get(draft.threadId)?.message;
      const replyCount = (root?.thread?.replyCount ?? 0) + 1;
      if (root) root.thread = { replyCount, lastReplyAt: time };
      message.thread = { replyCount, lastReplyAt: time };
    }
    if (draft.mentions && draft.mentions.length > 0) message.mentions = [...draft.mentions];
    if (draft.attachments && draft.attachments.length > 0)
      message.attachments = draft.attachments.map(toAttachment);
    log.push({ seq: message.seq, entry: { event: 'message', data: message } });
    this.messages.set(message.id, { message, reactions: new Map() });
    this.byClientId.set(key(draft.user.id, draft.clientId), { kind: 'message', message });
    return { message: structuredClone(message), duplicate: false };
  }

  async appendChange(draft: ChangeDraft): Promise<ChangeResult> {
    const taken = this.byClientId.get(key(draft.user.id, draft.clientId));
    if (taken?.kind === 'message') return { status: 'client_id_used', room: taken.message.room };
    if (taken) return { status: 'duplicate', change: taken.change, time: taken.time };
    const stored = this.messages.get(draft.id);
    if (!stored || stored.message.room !== draft.room) return { status: 'not_found' };
    const { message, reactions } = stored;
    if (message.deleted) return { status: 'deleted' };
    const time = new Date().toISOString();
    const log = this.logOf(draft.room);
    let count = 0;
    if (draft.type === 'edit') {
      message.text = draft.text;
      message.editedAt = time;
    } else if (draft.type === 'delete') {
      message.text = '';
      message.deleted = true;
      delete message.attachments;
      reactions.clear();
    } else {
      const users = reactions.get(draft.emoji) ?? new Set<string>();
      if (draft.on) users.add(draft.user.id);
      else users.delete(draft.user.id);
      if (users.size > 0) reactions.set(draft.emoji, users);
      else reactions.delete(draft.emoji);
      count = users.size;
    }
    const change = withSeq(changeEventOf(draft, time), log.length + 1, count);
    log.push({ seq: change.data.seq, entry: change });
    this.byClientId.set(key(draft.user.id, draft.clientId), { kind: 'change', change, time });
    return { status: 'applied', change, time };
  }

  async appendMemberEvent(draft: MemberEventDraft): Promise<MemberEvent> {
    const log = this.logOf(draft.room);
    const data: MemberEvent = { ...draft, seq: log.length + 1 };
    log.push({ seq: data.seq, entry: { event: 'member', data } });
    return data;
  }

  async readPage(
    room: string,
    { after = 0, before = Infinity, limit, maxBytes, viewer, threadId, oldest }: PageQuery,
  ): Promise<MessagePage> {
    const log = this.logOf(room);
    if (oldest) {
      const oldestFirst: ChatMessage[] = [];
      for (
        let index = after;
        index < Math.min(log.length, before - 1) && oldestFirst.length <= limit;
        index++
      ) {
        const entry = log[index]?.entry;
        if (entry?.event !== 'message') continue;
        if (threadId !== undefined && entry.data.threadId !== threadId) continue;
        oldestFirst.push(this.latest(entry.data.id, viewer));
      }
      return { ...fitPageForward(oldestFirst, limit, maxBytes), lastSeq: log.length };
    }
    const newestFirst: ChatMessage[] = [];
    for (
      let index = Math.min(log.length, before - 1) - 1;
      index >= after && newestFirst.length <= limit;
      index--
    ) {
      const entry = log[index]?.entry;
      if (entry?.event !== 'message') continue;
      if (threadId !== undefined && entry.data.threadId !== threadId) continue;
      newestFirst.push(this.latest(entry.data.id, viewer));
    }
    return { ...fitPage(newestFirst, limit, maxBytes), lastSeq: log.length };
  }

  async readLog(room: string, after: number, before: number | undefined, limit: number): Promise<LogEntry[]> {
    const log = this.logOf(room);
    const end = Math.min(log.length, (before ?? Infinity) - 1);
    const start = Math.max(after, end - limit);
    return log.slice(start, end).flatMap(({ entry }) => {
      if (!entry) return [];
      return [
        entry.event === 'message' ? { event: 'message' as const, data: this.latest(entry.data.id) } : entry,
      ];
    });
  }

  async lastSeqOf(room: string): Promise<number> {
    return this.logs.get(room)?.length ?? 0;
  }

  async readChanges(room: string, since: number, until: number, limit: number): Promise<RoomChange[]> {
    const found: RoomChange[] = [];
    for (const { entry } of this.logOf(room).slice(since, until)) {
      if (!entry || entry.event === 'message') continue;
      if (entry.event !== 'member' && (this.messages.get(entry.data.id)?.message.seq ?? 0) > since) continue;
      found.push(entry);
      if (found.length === limit) break;
    }
    return found;
  }

  async findMessage(id: string): Promise<ChatMessage | undefined> {
    return this.messages.has(id) ? this.latest(id) : undefined;
  }

  async findByClientId(userId: string, clientId: string): Promise<ChatMessage | undefined> {
    const taken = this.byClientId.get(key(userId, clientId));
    return taken?.kind === 'message' ? this.latest(taken.message.id) : undefined;
  }

  async isClientIdUsed(userId: string, clientId: string): Promise<boolean> {
    return this.byClientId.has(key(userId, clientId));
  }

  async close(): Promise<void> {}

  /** The message as pages show it to `viewer`: a copy, reactions summed up. */
  private latest(id: string, viewer?: string): ChatMessage {
    const { message, reactions } = this.messages.get(id)!;
    const copy = structuredClone(message);
    if (copy.replyTo) {
      const original = this.messages.get(copy.replyTo.id)?.message;
      if (original) copy.replyTo = replyPreview(original);
    }
    const summary: ReactionSummary[] = [...reactions]
      .map(([emoji, users]) => ({ emoji, count: users.size, me: viewer !== undefined && users.has(viewer) }))
      .sort((a, b) => compareEmoji(a.emoji, b.emoji));
    if (summary.length > 0) copy.reactions = summary;
    return copy;
  }

  private logOf(room: string): { seq: number; entry: LogEntry | null }[] {
    let log = this.logs.get(room);
    if (!log) {
      log = [];
      this.logs.set(room, log);
    }
    return log;
  }
}

function key(userId: string, clientId: string): string {
  return `${userId}\u0000${clientId}`;
}

/** Reactions are listed by emoji, in code point order (what SQLite's and PostgreSQL's "C" order give). */
export function compareEmoji(a: string, b: string): number {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return Buffer.compare(left, right);
}
