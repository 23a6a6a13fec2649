import type Database from 'better-sqlite3';
import type { ReactionSummary } from '@chat/contracts';
import { RECENCY_DAYS, type MessageSearch, type SearchRequest, type SearchRow } from '../message-search.js';
import { whileLocked } from './sqlite-lock-wait.js';
import { MESSAGE_SELECT, toMessage, type MessageRow } from './sqlite-log-rows.js';
import { toFts5Match } from './sqlite-search-match.js';

/** The named parameters of {@link SEARCH_SQL}. */
export interface SearchParameters {
  match: string;
  viewer: string;
  room: string | null;
  from: string | null;
  fromKey: string | null;
  beforeTime: string | null;
  beforeSeq: number | null;
  now: string;
  limit: number;
  offset: number;
}

/**
 * The index answers MATCH first (the FTS5 virtual table is the outer loop); each hit is then
 * kept only in a room the viewer may read: one they are a member of, or a public one they are
 * not banned from (guests have no memberships: public rooms only). bm25() is negative, smaller
 * is better, hence the minus.
 */
export const SEARCH_SQL = `${withMessageColumns(`, coalesce(t.seq, m.seq) AS around_seq,
     -bm25(message_search) / (1 + max(0, julianday(@now) - julianday(m.created_at)) / ${RECENCY_DAYS}.0) AS score
   FROM message_search s
   JOIN message_search_docs d ON d.doc = s.rowid
   JOIN messages m ON m.id = d.message_id
   LEFT JOIN messages o ON o.id = m.reply_to
   LEFT JOIN messages t ON t.id = m.thread_id`)}
  WHERE message_search MATCH @match AND m.deleted = 0
    AND (@room IS NULL OR m.room = @room)
    AND (m.room IN (SELECT room FROM room_members WHERE user_id = @viewer)
      OR m.room IN (SELECT name FROM rooms WHERE kind = 'public'
                    AND name NOT IN (SELECT room FROM room_bans WHERE user_id = @viewer)))
    AND (@from IS NULL OR m.user_id = @from OR m.user_id IN (SELECT id FROM users WHERE username_key = @fromKey))
    AND (@beforeTime IS NULL OR m.created_at < @beforeTime)
    AND (@beforeSeq IS NULL OR m.seq < @beforeSeq)
  ORDER BY score DESC, m.created_at DESC, m.id
  LIMIT @limit OFFSET @offset`;

/** MESSAGE_SELECT's columns (whatever they become) with `rest` in place of its FROM clause. */
function withMessageColumns(rest: string): string {
  const from = 'FROM messages m LEFT JOIN messages o ON o.id = m.reply_to';
  if (!MESSAGE_SELECT.endsWith(from))
    throw new Error('MESSAGE_SELECT changed its FROM clause: update SEARCH_SQL');
  return MESSAGE_SELECT.slice(0, -from.length) + rest;
}

export function searchParameters(request: SearchRequest): SearchParameters {
  return {
    match: toFts5Match(request.terms),
    viewer: request.viewer,
    room: request.room ?? null,
    from: request.from ?? null,
    fromKey: request.from?.toLowerCase() ?? null,
    beforeTime: request.beforeTime ?? null,
    beforeSeq: request.beforeSeq ?? null,
    now: request.now,
    limit: request.limit,
    offset: request.offset,
  };
}

/** Search over the FTS5 index that migration 7's triggers keep in step with messages. */
export class SqliteMessageSearch implements MessageSearch {
  private readonly statements;

  constructor(
    db: Database.Database,
    private readonly lockWaitMs: number,
  ) {
    this.statements = {
      search: db.prepare<[SearchParameters], MessageRow & { around_seq: number }>(SEARCH_SQL),
      reactions: db.prepare<[string, string], { emoji: string; count: number; me: number }>(
        `SELECT emoji, count(*) AS count, max(user_id = ?) AS me FROM reactions WHERE message_id = ?
         GROUP BY emoji ORDER BY emoji`,
      ),
    };
  }

  search(request: SearchRequest): Promise<SearchRow[]> {
    return whileLocked(
      () =>
        this.statements.search.all(searchParameters(request)).map((row) => ({
          message: toMessage(row, this.reactionsOf(row.id, request.viewer)),
          aroundSeq: row.around_seq,
        })),
      this.lockWaitMs,
    );
  }

  private reactionsOf(id: string, viewer: string): ReactionSummary[] {
    return this.statements.reactions
      .all(viewer, id)
      .map(({ emoji, count, me }) => ({ emoji, count, me: me === 1 }));
  }
}
