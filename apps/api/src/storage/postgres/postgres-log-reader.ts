import type { ChatMessage, RoomChange } from '@chat/contracts';
import type pg from 'pg';
import { asStorageError } from '../../common/errors/storage-failure.js';
import type { LogEntry, MessagePage, PageQuery } from '../message-store.js';
import { fitPage, fitPageForward } from '../page-budget.js';
import { query } from './postgres-database.js';
import { isUuid, messageColumns, toMessage, type MessageRow } from './postgres-log-rows.js';

interface ChangeRow {
  seq: string;
  type: string;
  data: RoomChange['data'];
}

const toChange = (row: ChangeRow): RoomChange => ({ event: row.type, data: row.data }) as RoomChange;

/** Reads of a room's log in PostgreSQL: latest-state pages, the log for gap repair, the replay of changes. */
export class PostgresLogReader {
  constructor(private readonly pool: pg.Pool) {}

  async readPage(
    room: string,
    { after = 0, before, limit, maxBytes, viewer, threadId, oldest }: PageQuery,
  ): Promise<MessagePage> {
    // Which end of the range the page starts from: a constant of this code, never input.
    const from = oldest ? 'ASC' : 'DESC';
    if (threadId !== undefined && !isUuid(threadId)) return this.emptyPage(room);
    // One statement, so the page, its reactions and last_seq come from the same snapshot. Rows
    // whose newer neighbours' text is already past the byte budget are not sent over: their JSON
    // (never shorter than their UTF-8 text) could not fit, and the first row that does not fit
    // still comes, so that fitPage sees it and says hasMore.
    const { rows } = await query<MessageRow & { last_seq: string; id: string | null }>(
      this.pool,
      `SELECT r.last_seq, p.* FROM rooms r
       LEFT JOIN LATERAL (
         SELECT ${messageColumns('$6::text')} FROM (
           SELECT w.* FROM (
             SELECT newest.*, sum(octet_length(newest.text)) OVER (ORDER BY newest.seq ${from})
                              - octet_length(newest.text) AS newer_bytes
             FROM (
               SELECT * FROM messages
               WHERE room = r.name AND seq > $2 AND seq < $3 AND ($7::uuid IS NULL OR thread_id = $7::uuid)
               ORDER BY seq ${from} LIMIT $4
             ) newest
           ) w
           WHERE $5::bigint IS NULL OR w.newer_bytes <= $5::bigint
         ) m LEFT JOIN messages o ON o.id = m.reply_to
         ORDER BY m.seq ${from}
       ) p ON TRUE
       WHERE r.name = $1`,
      [
        room,
        after,
        before ?? Number.MAX_SAFE_INTEGER,
        limit + 1,
        maxBytes ?? null,
        viewer ?? null,
        threadId ?? null,
      ],
    );
    const lastSeq = Number(rows[0]?.last_seq ?? 0);
    const found = rows.filter((row) => row.id !== null);
    const fit = oldest ? fitPageForward : fitPage;
    return { ...fit(found.map(toMessage), limit, maxBytes), lastSeq };
  }

  /** Messages and changes of one snapshot (REPEATABLE READ), merged by seq. */
  async readLog(room: string, after: number, before: number | undefined, limit: number): Promise<LogEntry[]> {
    const upper = before ?? Number.MAX_SAFE_INTEGER;
    let client: pg.PoolClient;
    try {
      client = await this.pool.connect();
    } catch (error) {
      throw asStorageError(error);
    }
    try {
      await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      const messages = await client.query<MessageRow>(
        `SELECT ${messageColumns('NULL::text')} FROM (
           SELECT * FROM messages WHERE room = $1 AND seq > $2 AND seq < $3 ORDER BY seq DESC LIMIT $4
         ) m LEFT JOIN messages o ON o.id = m.reply_to`,
        [room, after, upper, limit],
      );
      const changes = await client.query<ChangeRow>(
        'SELECT seq, type, data FROM room_events WHERE room = $1 AND seq > $2 AND seq < $3 ORDER BY seq DESC LIMIT $4',
        [room, after, upper, limit],
      );
      await client.query('COMMIT');
      return [
        ...messages.rows.map((row): LogEntry => ({ event: 'message', data: toMessage(row) })),
        ...changes.rows.map(toChange),
      ]
        .sort((a, b) => b.data.seq - a.data.seq)
        .slice(0, limit)
        .reverse();
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw asStorageError(error);
    } finally {
      client.release();
    }
  }

  async readChanges(room: string, since: number, until: number, limit: number): Promise<RoomChange[]> {
    const { rows } = await query<ChangeRow>(
      this.pool,
      `SELECT seq, type, data FROM room_events
       WHERE room = $1 AND seq > $2 AND seq <= $3 AND (message_seq <= $2 OR type = 'member')
       ORDER BY seq LIMIT $4`,
      [room, since, until, limit],
    );
    return rows.map(toChange);
  }

  async findMessage(id: string): Promise<ChatMessage | undefined> {
    if (!isUuid(id)) return undefined;
    return this.findOne('m.id = $1', [id]);
  }

  findByClientId(userId: string, clientId: string): Promise<ChatMessage | undefined> {
    return this.findOne('m.user_id = $1 AND m.client_id = $2', [userId, clientId]);
  }

  async isClientIdUsed(userId: string, clientId: string): Promise<boolean> {
    const { rows } = await query<{ used: boolean }>(
      this.pool,
      `SELECT EXISTS (SELECT 1 FROM messages WHERE user_id = $1 AND client_id = $2)
           OR EXISTS (SELECT 1 FROM room_events WHERE user_id = $1 AND client_id = $2) AS used`,
      [userId, clientId],
    );
    return rows[0]?.used === true;
  }

  private async findOne(where: string, values: unknown[]): Promise<ChatMessage | undefined> {
    const { rows } = await query<MessageRow>(
      this.pool,
      `SELECT ${messageColumns('NULL::text')} FROM messages m LEFT JOIN messages o ON o.id = m.reply_to WHERE ${where}`,
      values,
    );
    return rows[0] && toMessage(rows[0]);
  }

  async lastSeqOf(room: string): Promise<number> {
    const { rows } = await query<{ last_seq: string }>(
      this.pool,
      'SELECT last_seq FROM rooms WHERE name = $1',
      [room],
    );
    return Number(rows[0]?.last_seq ?? 0);
  }

  private async emptyPage(room: string): Promise<MessagePage> {
    return { messages: [], hasMore: false, lastSeq: await this.lastSeqOf(room) };
  }
}
