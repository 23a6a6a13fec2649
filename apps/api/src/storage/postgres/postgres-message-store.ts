import { randomUUID } from 'node:crypto';
import type { ChatMessage } from '@chat/contracts';
import type pg from 'pg';
import { UnavailableError } from '../../common/errors/chat-errors.js';
import type { AppendResult, MessageDraft, MessagePage, MessageStore, PageQuery } from '../message-store.js';
import { query } from './postgres-database.js';

interface AppendRow {
  id: string;
  seq: string;
  created_at: string;
  duplicate: boolean;
}

interface PageRow {
  last_seq: string;
  id: string | null;
  room: string;
  seq: string;
  user_id: string;
  user_name: string;
  user_guest: boolean;
  client_id: string;
  text: string;
  created_at: string;
}

/** Messages in PostgreSQL: shared by every instance, seqs allocated inside the insert's transaction. */
export class PostgresMessageStore implements MessageStore {
  private closed = false;
  private readonly inFlight = new Set<Promise<unknown>>();

  constructor(private readonly pool: pg.Pool) {}

  append(draft: MessageDraft): Promise<AppendResult> {
    return this.track(async () => {
      const time = new Date().toISOString();
      const { rows } = await query<AppendRow>(
        this.pool,
        'SELECT * FROM chat_append($1, $2, $3, $4, $5, $6, $7, $8)',
        [
          randomUUID(),
          draft.room,
          draft.user.id,
          draft.user.name,
          draft.user.guest,
          draft.clientId,
          draft.text,
          time,
        ],
      );
      const row = rows[0]!;
      if (!row.duplicate) {
        const message: ChatMessage = { ...this.fromDraft(draft), id: row.id, seq: Number(row.seq), time };
        return { message, duplicate: false };
      }
      // The stored original, as it was stored (its text and name may differ from this retry's).
      const { rows: original } = await query<PageRow>(
        this.pool,
        'SELECT 0 AS last_seq, * FROM messages WHERE id = $1',
        [row.id],
      );
      return { message: toMessage(original[0]!), duplicate: true };
    });
  }

  readPage(room: string, { after = 0, before, limit }: PageQuery): Promise<MessagePage> {
    return this.track(async () => {
      // One statement, so the page and last_seq come from the same snapshot.
      const { rows } = await query<PageRow>(
        this.pool,
        `SELECT r.last_seq, m.* FROM rooms r
         LEFT JOIN LATERAL (
           SELECT * FROM messages WHERE room = r.name AND seq > $2 AND seq < $3 ORDER BY seq DESC LIMIT $4
         ) m ON TRUE
         WHERE r.name = $1`,
        [room, after, before ?? Number.MAX_SAFE_INTEGER, limit + 1],
      );
      const lastSeq = Number(rows[0]?.last_seq ?? 0);
      const found = rows.filter((row) => row.id !== null);
      return {
        messages: found.slice(0, limit).reverse().map(toMessage),
        hasMore: found.length > limit,
        lastSeq,
      };
    });
  }

  /** Refuses new work and waits for queries in flight; the pool itself is closed by its owner. */
  async close(): Promise<void> {
    this.closed = true;
    await Promise.allSettled([...this.inFlight]);
  }

  private track<T>(work: () => Promise<T>): Promise<T> {
    if (this.closed) return Promise.reject(new UnavailableError('the message store is shutting down'));
    const promise = work();
    this.inFlight.add(promise);
    void promise.finally(() => this.inFlight.delete(promise)).catch(() => undefined);
    return promise;
  }

  private fromDraft(draft: MessageDraft): Omit<ChatMessage, 'id' | 'seq' | 'time'> {
    return { room: draft.room, clientId: draft.clientId, user: draft.user, text: draft.text };
  }
}

function toMessage(row: PageRow): ChatMessage {
  return {
    id: row.id!,
    room: row.room,
    seq: Number(row.seq),
    clientId: row.client_id,
    user: { id: row.user_id, name: row.user_name, guest: row.user_guest },
    text: row.text,
    time: row.created_at,
  };
}
