import { randomUUID } from 'node:crypto';
import type { ChatMessage } from '@chat/contracts';
import { setTimeout as delay } from 'node:timers/promises';
import type Database from 'better-sqlite3';
import { UnavailableError } from '../../common/errors/chat-errors.js';
import {
  asStorageError,
  isSqliteBusy,
  StorageUnavailableError,
  storageFailureReason,
} from '../../common/errors/storage-failure.js';
import { fitPage, mapRows } from '../page-budget.js';
import type { AppendResult, MessageDraft, MessagePage, MessageStore, PageQuery } from '../message-store.js';
import { WriteHealth } from '../write-health.js';
import { DEFAULT_LOCK_WAIT_MS, lockBackoffMs, whileLocked } from './sqlite-lock-wait.js';

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
  /** While the database is locked, this append waits until then, and fails after. */
  deadline: number;
  resolve: (result: AppendResult) => void;
  reject: (error: unknown) => void;
}

export interface SqliteMessageStoreOptions {
  /** How long an append waits for a lock held by another process before `unavailable`. */
  lockWaitMs?: number;
  /** Told about every commit, for /readyz. */
  health?: WriteHealth;
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
 * messages, and each caller still hears back only after its message is on disk. While another
 * process holds the write lock, the batch is retried later (the event loop keeps running) and
 * what arrives meanwhile joins it, in order.
 */
export class SqliteMessageStore implements MessageStore {
  private queue: Pending[] = [];
  private flushing: Promise<void> | null = null;
  private closed = false;
  private readonly statements;
  private readonly appendBatch;
  private readonly lockWaitMs: number;
  private readonly health: WriteHealth;

  constructor(
    private readonly db: Database.Database,
    options: SqliteMessageStoreOptions = {},
  ) {
    this.lockWaitMs = options.lockWaitMs ?? DEFAULT_LOCK_WAIT_MS;
    this.health = options.health ?? new WriteHealth();
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
      this.queue.push({ draft, deadline: Date.now() + this.lockWaitMs, resolve, reject });
      this.flushing ??= this.flushAll();
    });
  }

  readPage(room: string, { after = 0, before, limit, maxBytes }: PageQuery): Promise<MessagePage> {
    // One read transaction, so the page and lastSeq come from the same snapshot. WAL readers
    // rarely meet a lock (a checkpoint's), but when they do they wait like appends.
    const read = this.db.transaction(() => {
      // Rows are read one by one and no further than the page needs: a page of long messages
      // stops after a few of them instead of reading all `limit` (up to 500 of 24 KB).
      const rows = this.statements.page.iterate(room, after, before ?? Number.MAX_SAFE_INTEGER, limit + 1);
      const page = fitPage(mapRows(rows, toMessage), limit, maxBytes);
      return { ...page, lastSeq: this.statements.lastSeq.get(room) ?? 0 };
    });
    return whileLocked(() => read(), this.lockWaitMs);
  }

  findByClientId(userId: string, clientId: string): Promise<ChatMessage | undefined> {
    return whileLocked(() => {
      const row = this.statements.byClientId.get(userId, clientId);
      return row && toMessage(row);
    }, this.lockWaitMs);
  }

  /** Commits what is queued and refuses new appends; the database itself is closed by its owner. */
  async close(): Promise<void> {
    this.closed = true;
    await this.flushing;
  }

  private async flushAll(): Promise<void> {
    // Let the current turn of the event loop add its appends to the first batch.
    await new Promise((resolve) => setImmediate(resolve));
    let attempt = 0;
    while (this.queue.length > 0) {
      if (this.commitQueue()) {
        attempt = 0;
        continue;
      }
      // Locked by another process: give up on what has waited long enough, and try the rest
      // (with what arrives meanwhile) a little later, without blocking the event loop.
      this.expire();
      if (this.queue.length > 0) await delay(lockBackoffMs(attempt++));
    }
    this.flushing = null;
  }

  /** Commits the whole queue in one transaction; false (queue kept) when the database is locked. */
  private commitQueue(): boolean {
    const batch = this.queue;
    try {
      const results = this.appendBatch.immediate(batch.map((pending) => pending.draft));
      this.queue = [];
      this.health.succeeded();
      batch.forEach((pending, index) => pending.resolve(results[index]!));
      return true;
    } catch (error) {
      if (isSqliteBusy(error)) return false;
      this.queue = [];
      const reason = storageFailureReason(error);
      if (reason !== null) {
        // A full disk or a read-only file fails every draft alike: no point in trying one by one.
        this.health.failed(reason);
        const failure = new StorageUnavailableError(reason, { cause: error });
        for (const pending of batch) pending.reject(failure);
        return true;
      }
      // One bad draft must not fail its neighbours: retry each in a transaction of its own.
      for (const pending of batch) {
        try {
          pending.resolve(this.appendBatch.immediate([pending.draft])[0]!);
        } catch (single) {
          pending.reject(asStorageError(single));
        }
      }
      return true;
    }
  }

  /** Fails the appends that waited for the lock longer than allowed (the oldest come first). */
  private expire(): void {
    const now = Date.now();
    const stillWaiting = this.queue.findIndex((pending) => pending.deadline > now);
    const count = stillWaiting === -1 ? this.queue.length : stillWaiting;
    if (count === 0) return;
    const failure = new StorageUnavailableError('SQLITE_BUSY: the database is locked by another process');
    this.health.failed(failure.reason);
    for (const pending of this.queue.splice(0, count)) pending.reject(failure);
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
