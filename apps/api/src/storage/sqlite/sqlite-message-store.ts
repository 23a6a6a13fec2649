import type { ChatMessage, MemberEvent, RoomChange } from '@chat/contracts';
import { setTimeout as delay } from 'node:timers/promises';
import type Database from 'better-sqlite3';
import { UnavailableError } from '../../common/errors/chat-errors.js';
import {
  asStorageError,
  isSqliteBusy,
  StorageUnavailableError,
  storageFailureReason,
} from '../../common/errors/storage-failure.js';
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
import { WriteHealth } from '../write-health.js';
import { DEFAULT_LOCK_WAIT_MS, lockBackoffMs, whileLocked } from './sqlite-lock-wait.js';
import { SqliteLogReader } from './sqlite-log-reader.js';
import { SqliteLogWriter, type LogWrite, type LogWriteResult } from './sqlite-log-writer.js';

interface Pending {
  write: LogWrite;
  /** While the database is locked, this append waits until then, and fails after. */
  deadline: number;
  resolve: (result: never) => void;
  reject: (error: unknown) => void;
}

export interface SqliteMessageStoreOptions {
  /** How long an append waits for a lock held by another process before `unavailable`. */
  lockWaitMs?: number;
  /** Told about every commit, for /readyz. */
  health?: WriteHealth;
  /** Called after each commit (the engine's search indexer catches up on it). */
  committed?: () => void;
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
  private readonly writer: SqliteLogWriter;
  private readonly reader: SqliteLogReader;
  private readonly appendBatch;
  private readonly lockWaitMs: number;
  private readonly health: WriteHealth;
  private readonly committed: () => void;

  constructor(
    private readonly db: Database.Database,
    options: SqliteMessageStoreOptions = {},
  ) {
    this.lockWaitMs = options.lockWaitMs ?? DEFAULT_LOCK_WAIT_MS;
    this.health = options.health ?? new WriteHealth();
    this.committed = options.committed ?? (() => {});
    this.writer = new SqliteLogWriter(db);
    this.reader = new SqliteLogReader(db);
    this.appendBatch = db.transaction((writes: LogWrite[]) =>
      writes.map((write) => this.writer.write(write)),
    );
  }

  append(draft: MessageDraft): Promise<AppendResult> {
    return this.enqueue({ op: 'message', draft });
  }

  appendChange(draft: ChangeDraft): Promise<ChangeResult> {
    return this.enqueue({ op: 'change', draft });
  }

  appendMemberEvent(draft: MemberEventDraft): Promise<MemberEvent> {
    return this.enqueue({ op: 'member', draft });
  }

  readPage(room: string, query: PageQuery): Promise<MessagePage> {
    // WAL readers rarely meet a lock (a checkpoint's), but when they do they wait like appends.
    return whileLocked(() => this.reader.readPage(room, query), this.lockWaitMs);
  }

  readLog(room: string, after: number, before: number | undefined, limit: number): Promise<LogEntry[]> {
    return whileLocked(() => this.reader.readLog(room, after, before, limit), this.lockWaitMs);
  }

  lastSeqOf(room: string): Promise<number> {
    return whileLocked(() => this.reader.lastSeqOf(room), this.lockWaitMs);
  }

  readChanges(room: string, since: number, until: number, limit: number): Promise<RoomChange[]> {
    return whileLocked(() => this.reader.readChanges(room, since, until, limit), this.lockWaitMs);
  }

  findMessage(id: string): Promise<ChatMessage | undefined> {
    return whileLocked(() => this.reader.findMessage(id), this.lockWaitMs);
  }

  findByClientId(userId: string, clientId: string): Promise<ChatMessage | undefined> {
    return whileLocked(() => this.reader.findByClientId(userId, clientId), this.lockWaitMs);
  }

  isClientIdUsed(userId: string, clientId: string): Promise<boolean> {
    return whileLocked(() => this.reader.isClientIdUsed(userId, clientId), this.lockWaitMs);
  }

  private enqueue<R>(write: LogWrite): Promise<R> {
    if (this.closed) return Promise.reject(new UnavailableError('the message store is shutting down'));
    return new Promise<R>((resolve, reject) => {
      this.queue.push({
        write,
        deadline: Date.now() + this.lockWaitMs,
        resolve: resolve as (r: never) => void,
        reject,
      });
      this.flushing ??= this.flushAll();
    });
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
      const results = this.appendBatch.immediate(batch.map((pending) => pending.write));
      this.queue = [];
      this.health.succeeded();
      this.committed();
      batch.forEach((pending, index) => settle(pending, results[index]!));
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
          settle(pending, this.appendBatch.immediate([pending.write])[0]!);
        } catch (single) {
          pending.reject(asStorageError(single));
        }
      }
      this.committed();
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
}

/** A write refused on its own (a reused clientId) fails alone; the others of its batch committed. */
function settle(pending: Pending, result: LogWriteResult): void {
  if (result instanceof Error) pending.reject(result);
  else pending.resolve(result as never);
}
