import { randomUUID } from 'node:crypto';
import type { ChatMessage, MemberEvent, RoomChange } from '@chat/contracts';
import type pg from 'pg';
import { ClientIdReusedError, NotFoundError, UnavailableError } from '../../common/errors/chat-errors.js';
import { StorageUnavailableError } from '../../common/errors/storage-failure.js';
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
import { query } from './postgres-database.js';
import { PostgresLogReader } from './postgres-log-reader.js';
import { isUuid } from './postgres-log-rows.js';
import { opOf, storedMessage, type AppendRow, type Write } from './postgres-log-ops.js';

interface Pending {
  write: Write;
  id: string;
  time: string;
  resolve: (result: never) => void;
  reject: (error: unknown) => void;
}

/**
 * The room logs in PostgreSQL, shared by every instance. Seqs are allocated inside the append's
 * transaction (see chat_log_append). Appends are group-committed: while one batch commits, the
 * next gathers, and batches run one at a time, so this instance's messages and changes commit in
 * call order.
 */
export class PostgresMessageStore implements MessageStore {
  private queue: Pending[] = [];
  private flushing: Promise<void> | null = null;
  private closed = false;
  private readonly reads = new Set<Promise<unknown>>();
  private readonly reader: PostgresLogReader;

  constructor(
    private readonly pool: pg.Pool,
    /** Told about every commit, for /readyz. */
    private readonly health = new WriteHealth(),
  ) {
    this.reader = new PostgresLogReader(pool);
  }

  append(draft: MessageDraft): Promise<AppendResult> {
    // The core checked both ids; a malformed one must still never reach a UUID cast.
    for (const id of [draft.replyTo, draft.threadId]) {
      if (id !== undefined && !isUuid(id)) return Promise.reject(new NotFoundError(`no message "${id}"`));
    }
    return this.enqueue({ op: 'message', draft });
  }

  appendChange(draft: ChangeDraft): Promise<ChangeResult> {
    if (!isUuid(draft.id)) return this.closed ? this.refuse() : Promise.resolve({ status: 'not_found' });
    return this.enqueue({ op: 'change', draft });
  }

  appendMemberEvent(draft: MemberEventDraft): Promise<MemberEvent> {
    return this.enqueue({ op: 'member', draft });
  }

  readPage(room: string, query: PageQuery): Promise<MessagePage> {
    return this.tracked(() => this.reader.readPage(room, query));
  }

  lastSeqOf(room: string): Promise<number> {
    return this.tracked(() => this.reader.lastSeqOf(room));
  }

  readLog(room: string, after: number, before: number | undefined, limit: number): Promise<LogEntry[]> {
    return this.tracked(() => this.reader.readLog(room, after, before, limit));
  }

  readChanges(room: string, since: number, until: number, limit: number): Promise<RoomChange[]> {
    return this.tracked(() => this.reader.readChanges(room, since, until, limit));
  }

  findMessage(id: string): Promise<ChatMessage | undefined> {
    return this.tracked(() => this.reader.findMessage(id));
  }

  findByClientId(userId: string, clientId: string): Promise<ChatMessage | undefined> {
    return this.tracked(() => this.reader.findByClientId(userId, clientId));
  }

  isClientIdUsed(userId: string, clientId: string): Promise<boolean> {
    return this.tracked(() => this.reader.isClientIdUsed(userId, clientId));
  }

  /** Refuses new work and waits for what is in flight; the pool itself is closed by its owner. */
  async close(): Promise<void> {
    this.closed = true;
    await this.flushing;
    await Promise.allSettled([...this.reads]);
  }

  private refuse<R>(): Promise<R> {
    return Promise.reject(new UnavailableError('the message store is shutting down'));
  }

  private tracked<R>(read: () => Promise<R>): Promise<R> {
    if (this.closed) return this.refuse();
    const work = read();
    this.reads.add(work);
    void work.finally(() => this.reads.delete(work)).catch(() => undefined);
    return work;
  }

  private enqueue<R>(write: Write): Promise<R> {
    if (this.closed) return this.refuse();
    return new Promise<R>((resolve, reject) => {
      const pending: Pending = {
        write,
        id: randomUUID(),
        time: new Date().toISOString(),
        reject,
        resolve: resolve as never,
      };
      this.queue.push(pending);
      this.flushing ??= this.flushAll();
    });
  }

  private async flushAll(): Promise<void> {
    // Let the current turn of the event loop add its appends to the first batch.
    await new Promise((resolve) => setImmediate(resolve));
    while (this.queue.length > 0) {
      const batch = this.queue;
      this.queue = [];
      await this.commit(batch);
    }
    this.flushing = null;
  }

  private async commit(batch: Pending[]): Promise<void> {
    try {
      const rows = await this.appendMany(batch);
      this.health.succeeded();
      batch.forEach((pending, index) =>
        this.settle(pending, rows[index]!).then(pending.resolve, pending.reject),
      );
    } catch (error) {
      if (error instanceof StorageUnavailableError) this.health.failed(error.reason);
      if (batch.length === 1 || error instanceof UnavailableError) {
        for (const pending of batch) pending.reject(error);
        return;
      }
      // One bad entry must not fail its neighbours: retry each on its own, in order.
      for (const pending of batch) await this.commit([pending]);
    }
  }

  private async appendMany(batch: Pending[]): Promise<AppendRow[]> {
    const ops = batch.map((pending) => opOf(pending));
    const { rows } = await query<AppendRow>(this.pool, 'SELECT * FROM chat_log_append($1::jsonb)', [
      JSON.stringify(ops),
    ]);
    return rows.sort((a, b) => a.ord - b.ord);
  }

  private async settle({ write, id }: Pending, row: AppendRow): Promise<never> {
    return (await this.resultOf(write, id, row)) as never;
  }

  private async resultOf(
    write: Write,
    id: string,
    row: AppendRow,
  ): Promise<AppendResult | ChangeResult | MemberEvent> {
    if (write.op === 'member') return (row.data as { data: MemberEvent }).data;
    if (write.op === 'change') {
      if (row.status === 'applied' || row.status === 'duplicate') {
        return { status: row.status, change: row.data as unknown as RoomChange, time: row.created_at! };
      }
      if (row.status === 'client_id_used') return { status: 'client_id_used', room: row.room! };
      return { status: row.status as 'not_found' | 'deleted' };
    }
    const { draft } = write;
    if (row.status === 'reused')
      throw new ClientIdReusedError(draft.clientId, row.room!, 'an edit, delete or reaction');
    if (row.status === 'duplicate') {
      // The stored original, as it is now (its text and name may differ from this retry's).
      return { message: (await this.reader.findMessage(row.id!))!, duplicate: true };
    }
    return { message: storedMessage(draft, id, row), duplicate: false };
  }
}
