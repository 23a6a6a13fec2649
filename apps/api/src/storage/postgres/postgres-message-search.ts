import type pg from 'pg';
import {
  RECENCY_DAYS,
  SEARCH_CANDIDATES,
  type MessageSearch,
  type SearchRequest,
  type SearchRow,
} from '../message-search.js';
import { query } from './postgres-database.js';
import { messageColumns, toMessage, type MessageRow } from './postgres-log-rows.js';
import { toTsquery } from './postgres-search-query.js';

/**
 * The matches come from message_search's GIN index (migration 9) with the room, sender, seq and
 * time copied there; the newest SEARCH_CANDIDATES of them are ranked, and only the page is read
 * from messages. Each hit is kept only in a room the viewer may read: one they are a member of,
 * or a public one they are not banned from (guests have no memberships: public rooms only).
 * ts_rank_cd with normalization 32 is rank / (rank + 1), between 0 and 1.
 * Parameters: $1 tsquery text, $2 viewer, $3 room, $4 from, $5 from's username key,
 * $6 before time, $7 before seq, $8 now, $9 limit, $10 offset.
 */
export const SEARCH_SQL = `WITH q AS (SELECT to_tsquery('simple', $1::text) AS query),
  candidates AS (
    SELECT v.id, v.created_at, v.vector FROM message_search v, q
    WHERE v.vector @@ q.query
      AND ($3::text IS NULL OR v.room = $3::text)
      AND (v.room IN (SELECT room FROM room_members WHERE user_id = $2::text)
        OR v.room IN (SELECT name FROM rooms WHERE kind = 'public'
                      AND name NOT IN (SELECT room FROM room_bans WHERE user_id = $2::text)))
      AND ($4::text IS NULL OR v.user_id = $4::text
        OR v.user_id IN (SELECT id FROM users WHERE username_key = $5::text))
      AND ($6::text IS NULL OR v.created_at < $6::text)
      AND ($7::bigint IS NULL OR v.seq < $7::bigint)
    ORDER BY v.created_at DESC
    LIMIT ${SEARCH_CANDIDATES}
  ),
  ranked AS (
    SELECT c.id, c.created_at, ts_rank_cd(c.vector, q.query, 32)
             / (1 + greatest(0, extract(epoch FROM ($8::timestamptz - c.created_at::timestamptz)) / 86400)
                / ${RECENCY_DAYS}) AS score
    FROM candidates c, q
    ORDER BY score DESC, c.created_at DESC, c.id
    LIMIT $9 OFFSET $10
  )
  SELECT ${messageColumns('$2::text')}, coalesce(t.seq, m.seq) AS around_seq
  FROM ranked r
  JOIN messages m ON m.id = r.id
  LEFT JOIN messages o ON o.id = m.reply_to
  LEFT JOIN messages t ON t.id = m.thread_id
  WHERE NOT m.deleted
  ORDER BY r.score DESC, r.created_at DESC, r.id`;

export function searchValues(request: SearchRequest): unknown[] {
  return [
    toTsquery(request.terms),
    request.viewer,
    request.room ?? null,
    request.from ?? null,
    request.from?.toLowerCase() ?? null,
    request.beforeTime ?? null,
    request.beforeSeq ?? null,
    request.now,
    request.limit,
    request.offset,
  ];
}

/** Search over the messages_search GIN index, which every write of messages keeps in step. */
export class PostgresMessageSearch implements MessageSearch {
  constructor(private readonly pool: pg.Pool) {}

  async search(request: SearchRequest): Promise<SearchRow[]> {
    const { rows } = await query<MessageRow & { around_seq: string }>(
      this.pool,
      SEARCH_SQL,
      searchValues(request),
    );
    return rows.map((row) => ({ message: toMessage(row), aroundSeq: Number(row.around_seq) }));
  }
}
