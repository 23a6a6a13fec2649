import type Database from 'better-sqlite3';
import { storageFailureReason } from '../../common/errors/storage-failure.js';
import { whileLocked } from './sqlite-lock-wait.js';

/** How long after a commit the index catches up, at most: one transaction per this long under load. */
export const SEARCH_INDEX_DELAY_MS = 250;

export interface SqliteSearchIndexerOptions {
  /** See SEARCH_INDEX_DELAY_MS. */
  delayMs?: number;
  /** How long closing waits for another process's lock before leaving the rest to the next start. */
  lockWaitMs?: number;
}

/**
 * Adds the messages that were sent since it last ran to the FTS5 index, all in one transaction.
 * A send only queues its message (its message_search_docs row, written by a trigger in the send's
 * own transaction, see migration 12): an FTS5 insert per group commit was half of a send's cost,
 * while one per batch costs a fraction of that per message. The FTS rows and the new `upto`
 * commit together, so a crash at any point leaves every sent message either indexed or queued.
 * Search calls {@link indexPending} first, so that it still finds every committed message.
 */
export class SqliteSearchIndexer {
  private timer: NodeJS.Timeout | null = null;
  private closed = false;
  private readonly delayMs: number;
  private readonly lockWaitMs: number;
  private readonly statements;
  private readonly indexRange;

  constructor(
    private readonly db: Database.Database,
    options: SqliteSearchIndexerOptions = {},
  ) {
    this.delayMs = options.delayMs ?? SEARCH_INDEX_DELAY_MS;
    this.lockWaitMs = options.lockWaitMs ?? 0;
    this.statements = {
      range: db.prepare<[], { upto: number; last: number | null }>(
        'SELECT upto, (SELECT max(doc) FROM message_search_docs) AS last FROM message_search_state',
      ),
      index: db.prepare<[number, number]>(
        `INSERT INTO message_search (rowid, text)
         SELECT d.doc, m.text FROM message_search_docs d JOIN messages m ON m.id = d.message_id
         WHERE d.doc > ? AND d.doc <= ? AND m.deleted = 0`,
      ),
      advance: db.prepare<[number]>('UPDATE message_search_state SET upto = ?'),
    };
    this.indexRange = db.transaction((): number => {
      // Read again under the write lock: another process may have indexed meanwhile.
      const { upto, last } = this.statements.range.get()!;
      if (last === null || last <= upto) return 0;
      const indexed = this.statements.index.run(upto, last).changes;
      this.statements.advance.run(last);
      return indexed;
    });
  }

  /**
   * Indexes every queued message now; the number of FTS rows added (deleted messages add none).
   * Without a write when nothing is queued (the common case before a search). Throws SQLITE_BUSY
   * while another process holds the lock: callers retry later (whileLocked), never block.
   */
  indexPending(): number {
    const { upto, last } = this.statements.range.get()!;
    if (last === null || last <= upto) return 0;
    return this.indexRange.immediate();
  }

  /** Called after a commit that may have queued messages: indexes them within delayMs. */
  schedule(): void {
    if (this.closed || this.timer !== null) return;
    this.timer = setTimeout(() => this.run(), this.delayMs);
    // A pending index must not keep the process alive: the queue is on disk.
    this.timer.unref();
  }

  /** Stops the timer and indexes what is queued; what a held lock prevents, the next start does. */
  async close(): Promise<void> {
    this.closed = true;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    if (!this.db.open) return;
    try {
      await whileLocked(() => this.indexPending(), this.lockWaitMs);
    } catch {
      // Queued messages are durable and found by the next search or start: nothing is lost.
    }
  }

  private run(): void {
    this.timer = null;
    if (!this.db.open) return;
    try {
      this.indexPending();
    } catch (error) {
      // A lock (another process), a full disk: the queue keeps, try again later. Anything else
      // also reaches the next search, which reports it; retrying it here would only repeat it.
      if (storageFailureReason(error) !== null) this.schedule();
    }
  }
}
