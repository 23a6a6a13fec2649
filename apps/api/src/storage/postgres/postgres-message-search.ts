import type pg from 'pg';
import { RECENCY_DAYS, type MessageSearch, type SearchRequest, type SearchRow } from '../message-search.js';
import { query } from './postgres-database.js';
import { messageColumns, toMessage, type MessageRow } from './postgres-log-rows.js';
import { toTsquery } from './postgres-search-query.js';

/** The indexed expression of messages_search (migration 9): the query must say exactly this to use it. */
export const SEARCH_VECTOR = `to_tsvector('simple', regexp_replace(h.text, '[^[:alnum:]]+', ' ', 'g'))`;

/**
 * `${SEARCH_VECTOR} @@ q` is the expression of the messages_search GIN index (migration 9),
 * written the same way so that the planner can use it. Each hit is kept only in a
 * room the viewer may read: one they are a member of, or a public one they are not banned from
 * (guests have no memberships: public rooms only). ts_rank_cd with normalization 32 is
 * rank / (rank + 1), between 0 and 1; the vector is recomputed for the matched rows only.
 * Parameters: $1 tsquery text, $2 viewer, $3 room, $4 from, $5 from's username key,
 * $6 before time, $7 before seq, $8 now, $9 limit, $10 offset.
 */
export const SEARCH_SQL = `SELECT ${messageColumns('$2::text')}, coalesce(t.seq, m.seq) AS around_seq
  FROM (
    SELECT h.*, ts_rank_cd(${SEARCH_VECTOR}, q.query, 32)
             / (1 + greatest(0, extract(epoch FROM ($8::timestamptz - h.created_at::timestamptz)) / 86400)
                / ${RECENCY_DAYS}) AS score
    FROM messages h, to_tsquery('simple', $1::text) q(query)
    WHERE ${SEARCH_VECTOR} @@ q.query AND NOT h.deleted
      AND ($3::text IS NULL OR h.room = $3::text)
      AND (h.room IN (SELECT room FROM room_members WHERE user_id = $2::text)
        OR h.room IN (SELECT name FROM rooms WHERE kind = 'public'
                      AND name NOT IN (SELECT room FROM room_bans WHERE user_id = $2::text)))
      AND ($4::text IS NULL OR h.user_id = $4::text
        OR h.user_id IN (SELECT id FROM users WHERE username_key = $5::text))
      AND ($6::text IS NULL OR h.created_at < $6::text)
      AND ($7::bigint IS NULL OR h.seq < $7::bigint)
    ORDER BY score DESC, h.created_at DESC, h.id
    LIMIT $9 OFFSET $10
  ) m
  LEFT JOIN messages o ON o.id = m.reply_to
  LEFT JOIN messages t ON t.id = m.thread_id
  ORDER BY m.score DESC, m.created_at DESC, m.id`;

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
