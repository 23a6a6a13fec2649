import { randomUUID } from 'node:crypto';
import type { ChatMessage } from '@chat/contracts';
import type Database from 'better-sqlite3';
import { UnavailableError } from '../../common/errors/chat-errors.js';
import { fitPage, mapRows } from '../page-budget.js';
import type { AppendResult, MessageDraft, MessagePage, MessageStore, PageQuery } from '../message-store.js';

interface MessageRow {
  id: string;
  room: string;
  seq: number;
  user_id: string;
  user_name: string;
  user_guest: number;
  client_id: string;
  text: string;
  created_at: string;
}

interface Pending {
  draft: MessageDraft;
  resolve: (result: AppendResult) => void;
  reject: (error: unknown) => void;
}

const COLUMNS = 'id, room, seq, user_id, user_name, user_guest, client_id, text, created_at';

function toMessage(row: MessageRow): ChatMessage {
  return {
    id: row.id,
    room: row.room,
    seq: row.seq,
    clientId: row.client_id,
    user: { id: row.user_id, name: row.user_name, guest: row.user_guest === 1 },
    text: row.text,
    time: row.created_at,
  };
}

/**
 * Messages in the embedded SQLite database. Appends that arrive in the same turn of the event
 * loop are committed together in one transaction (group commit): one disk flush for many
 * messages, and each caller still hears back only after its message is on disk.
 */
export class SqliteMessageStore implements MessageStore {
  private queue: Pending[] = [];
  private flushScheduled = false;
  private closed = false;
  private readonly statements;
  private readonly appendBatch;

  constructor(private readonly db: Database.Database) {
    this.statements = {
      byClientId: db.prepare<[string, string], MessageRow>(
        `SELECT ${COLUMNS} FROM messages WHERE user_id = ? AND client_id = ?`,
      ),
      nextSeq: db
        .prepare<[string, string], number>(
          `INSERT INTO rooms (name, last_seq, created_at) VALUES (?, 1, ?)
           ON CONFLICT (name) DO UPDATE SET last_seq = last_seq + 1
           RETURNING last_seq`,
        )
        .pluck(),
      insert: db.prepare(`INSERT INTO messages (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`),
      lastSeq: db.prepare<[string], number>('SELECT last_seq FROM rooms WHERE name = ?').pluck(),
      page: db.prepare<[string, number, number, number], MessageRow>(
        `SELECT ${COLUMNS} FROM messages WHERE room = ? AND seq > ? AND seq < ? ORDER BY seq DESC LIMIT ?`,
      ),
    };
    this.appendBatch = db.transaction((drafts: MessageDraft[]) =>
      drafts.map((draft) => this.appendOne(draft)),
    );
  }

  append(draft: MessageDraft): Promise<AppendResult> {
    if (this.closed) return Promise.reject(new UnavailableError('the message store is shutting down'));
    return new Promise((resolve, reject) => {
      this.queue.push({ draft, resolve, reject });
      if (!this.flushScheduled) {
        this.flushScheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  async readPage(room: string, { after = 0, before, limit, maxBytes }: PageQuery): Promise<MessagePage> {
    // One read transaction, so the page and lastSeq come from the same snapshot.
    return this.db.transaction(() => {
      // Rows are read one by one and no further than the page needs: a page of long messages
      // stops after a few of them instead of reading all `limit` (up to 500 of 24 KB).
      const rows = this.statements.page.iterate(room, after, before ?? Number.MAX_SAFE_INTEGER, limit + 1);
      const page = fitPage(mapRows(rows, toMessage), limit, maxBytes);
      return { ...page, lastSeq: this.statements.lastSeq.get(room) ?? 0 };
    })();
  }

  /** Commits what is queued and refuses new appends; the database itself is closed by its owner. */
  async close(): Promise<void> {
    this.closed = true;
    this.flush();
  }

  private flush(): void {
    this.flushScheduled = false;
    const batch = this.queue;
    if (batch.length === 0) return;
    this.queue = [];
    try {
      const results = this.appendBatch.immediate(batch.map((pending) => pending.draft));
      batch.forEach((pending, index) => pending.resolve(results[index]!));
    } catch {
      // One bad draft must not fail its neighbours: retry each in a transaction of its own.
      for (const pending of batch) {
        try {
          pending.resolve(this.appendBatch.immediate([pending.draft])[0]!);
        } catch (error) {
          pending.reject(error);
        }
      }
    }
  }

  private appendOne(draft: MessageDraft): AppendResult {
    const existing = this.statements.byClientId.get(draft.user.id, draft.clientId);
    if (existing) return { message: toMessage(existing), duplicate: true };
    const time = new Date().toISOString();
    const seq = this.statements.nextSeq.get(draft.room, time)!;
    const message: ChatMessage = {
      id: randomUUID(),
      room: draft.room,
      seq,
      clientId: draft.clientId,
      user: draft.user,
      text: draft.text,
      time,
    };
    this.statements.insert.run(
      message.id,
      message.room,
      seq,
      draft.user.id,
      draft.user.name,
      draft.user.guest ? 1 : 0,
      draft.clientId,
      draft.text,
      time,
    );
    return { message, duplicate: false };
  }
}
