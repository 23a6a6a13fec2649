import { randomUUID } from 'node:crypto';
import type { ChatMessage } from '@chat/contracts';
import type pg from 'pg';
import { UnavailableError } from '../../common/errors/chat-errors.js';
import { StorageUnavailableError } from '../../common/errors/storage-failure.js';
import { fitPage } from '../page-budget.js';
import type { AppendResult, MessageDraft, MessagePage, MessageStore, PageQuery } from '../message-store.js';
import { WriteHealth } from '../write-health.js';
import { query } from './postgres-database.js';

interface AppendRow {
  ord: number;
  id: string;
  seq: string;
  created_at: string;
  duplicate: boolean;
}

interface MessageRow {
  id: string;
  room: string;
  seq: string;
  user_id: string;
  user_name: string;
  user_guest: boolean;
  client_id: string;
  text: string;
  created_at: string;
}

interface Pending {
  draft: MessageDraft;
  id: string;
  time: string;
  resolve: (result: AppendResult) => void;
  reject: (error: unknown) => void;
}

/**
 * Messages in PostgreSQL, shared by every instance. Seqs are allocated inside the insert's
 * transaction (see chat_append). Appends are group-committed: while one batch commits, the next
 * gathers, and batches run one at a time, so this instance's appends commit in call order.
 */
export class PostgresMessageStore implements MessageStore {
  private queue: Pending[] = [];
  private flushing: Promise<void> | null = null;
  private closed = false;
  private readonly reads = new Set<Promise<unknown>>();

  constructor(
    private readonly pool: pg.Pool,
    /** Told about every commit, for /readyz. */
    private readonly health = new WriteHealth(),
  ) {}

  append(draft: MessageDraft): Promise<AppendResult> {
    if (this.closed) return Promise.reject(new UnavailableError('the message store is shutting down'));
    return new Promise((resolve, reject) => {
      this.queue.push({ draft, id: randomUUID(), time: new Date().toISOString(), resolve, reject });
      this.flushing ??= this.flushAll();
    });
  }

  readPage(room: string, { after = 0, before, limit, maxBytes }: PageQuery): Promise<MessagePage> {
    if (this.closed) return Promise.reject(new UnavailableError('the message store is shutting down'));
    const read = this.readPageNow(room, after, before, limit, maxBytes);
    this.reads.add(read);
    void read.finally(() => this.reads.delete(read)).catch(() => undefined);
    return read;
  }

  async findByClientId(userId: string, clientId: string): Promise<ChatMessage | undefined> {
    if (this.closed) throw new UnavailableError('the message store is shutting down');
    const { rows } = await query<MessageRow>(
      this.pool,
      'SELECT * FROM messages WHERE user_id = $1 AND client_id = $2',
      [userId, clientId],
    );
    return rows[0] && toMessage(rows[0]);
  }

  /** Refuses new work and waits for what is in flight; the pool itself is closed by its owner. */
  async close(): Promise<void> {
    this.closed = true;
    await this.flushing;
    await Promise.allSettled([...this.reads]);
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
      // One bad draft must not fail its neighbours: retry each on its own, in order.
      for (const pending of batch) await this.commit([pending]);
    }
  }

  private async appendMany(batch: Pending[]): Promise<AppendRow[]> {
    const drafts = batch.map(({ draft, id, time }) => ({
      id,
      room: draft.room,
      userId: draft.user.id,
      userName: draft.user.name,
      userGuest: draft.user.guest,
      clientId: draft.clientId,
      text: draft.text,
      time,
    }));
    const { rows } = await query<AppendRow>(this.pool, 'SELECT * FROM chat_append_many($1::jsonb)', [
      JSON.stringify(drafts),
    ]);
    return rows.sort((a, b) => a.ord - b.ord);
  }

  private async settle(pending: Pending, row: AppendRow): Promise<AppendResult> {
    const { draft } = pending;
    if (!row.duplicate) {
      const message: ChatMessage = {
        id: row.id,
        room: draft.room,
        seq: Number(row.seq),
        clientId: draft.clientId,
        user: draft.user,
        text: draft.text,
        time: row.created_at,
      };
      return { message, duplicate: false };
    }
    // The stored original, as it was stored (its text and name may differ from this retry's).
    const { rows } = await query<MessageRow>(this.pool, 'SELECT * FROM messages WHERE id = $1', [row.id]);
    return { message: toMessage(rows[0]!), duplicate: true };
  }

  private async readPageNow(
    room: string,
    after: number,
    before: number | undefined,
    limit: number,
    maxBytes: number | undefined,
  ): Promise<MessagePage> {
    // One statement, so the page and last_seq come from the same snapshot. Rows whose newer
    // neighbours' text is already past the byte budget are not sent over: their JSON (never
    // shorter than their UTF-8 text) could not fit, and the first row that does not fit still
    // comes, so that fitPage sees it and says hasMore.
    const { rows } = await query<MessageRow & { last_seq: string; id: string | null }>(
      this.pool,
      `SELECT r.last_seq, m.* FROM rooms r
       LEFT JOIN LATERAL (
         SELECT * FROM (
           SELECT newest.*, sum(octet_length(newest.text)) OVER (ORDER BY newest.seq DESC)
                            - octet_length(newest.text) AS newer_bytes
           FROM (
             SELECT * FROM messages WHERE room = r.name AND seq > $2 AND seq < $3 ORDER BY seq DESC LIMIT $4
           ) newest
         ) w
         WHERE $5::bigint IS NULL OR w.newer_bytes <= $5::bigint
         ORDER BY w.seq DESC
       ) m ON TRUE
       WHERE r.name = $1`,
      [room, after, before ?? Number.MAX_SAFE_INTEGER, limit + 1, maxBytes ?? null],
    );
    const lastSeq = Number(rows[0]?.last_seq ?? 0);
    const found = rows.filter((row): row is MessageRow & { last_seq: string } => row.id !== null);
    return { ...fitPage(found.map(toMessage), limit, maxBytes), lastSeq };
  }
}

function toMessage(row: MessageRow): ChatMessage {
  return {
    id: row.id,
    room: row.room,
    seq: Number(row.seq),
    clientId: row.client_id,
    user: { id: row.user_id, name: row.user_name, guest: row.user_guest },
    text: row.text,
    time: row.created_at,
  };
}
