import type Database from 'better-sqlite3';
import type { ReactionSummary } from '@chat/contracts';
import {
  RECENCY_DAYS,
  SEARCH_CANDIDATES,
  type MessageSearch,
  type SearchRequest,
  type SearchRow,
} from '../message-search.js';
import { isSqliteBusy, storageFailureReason } from '../../common/errors/storage-failure.js';
import { whileLocked } from './sqlite-lock-wait.js';
import { MESSAGE_SELECT, toMessage, type MessageRow } from './sqlite-log-rows.js';
import { toFts5Match } from './sqlite-search-match.js';
import { SqliteSearchIndexer } from './sqlite-search-indexer.js';

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
 * The index answers MATCH newest first (doc ids grow with time), each hit kept only in a room
 * the viewer may read: one they are a member of, or a public one they are not banned from
 * (guests have no memberships: public rooms only); the newest SEARCH_CANDIDATES of those are
 * ranked. bm25() is negative, smaller is better, hence the minus.
 */
export const SEARCH_SQL = `WITH hits AS (
    SELECT d.message_id AS id, bm25(message_search) AS relevance
    FROM message_search s
    JOIN message_search_docs d ON d.doc = s.rowid
    JOIN messages h ON h.id = d.message_id
    WHERE message_search MATCH @match AND h.deleted = 0
      AND (@room IS NULL OR h.room = @room)
      AND (h.room IN (SELECT room FROM room_members WHERE user_id = @viewer)
        OR h.room IN (SELECT name FROM rooms WHERE kind = 'public'
                      AND name NOT IN (SELECT room FROM room_bans WHERE user_id = @viewer)))
      AND (@from IS NULL OR h.user_id = @from OR h.user_id IN (SELECT id FROM users WHERE username_key = @fromKey))
      AND (@beforeTime IS NULL OR h.created_at < @beforeTime)
      AND (@beforeSeq IS NULL OR h.seq < @beforeSeq)
    ORDER BY s.rowid DESC
    LIMIT ${SEARCH_CANDIDATES}
  )
  ${withMessageColumns(`, coalesce(t.seq, m.seq) AS around_seq,
     -hits.relevance / (1 + max(0, julianday(@now) - julianday(m.created_at)) / ${RECENCY_DAYS}.0) AS score
   FROM hits
   JOIN messages m ON m.id = hits.id
   LEFT JOIN messages o ON o.id = m.reply_to
   LEFT JOIN messages t ON t.id = m.thread_id`)}
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

/**
 * Search over the FTS5 index that SqliteSearchIndexer fills and migration 12's triggers keep in
 * step with edits and deletes. Every search first indexes what is queued, so it finds every
 * committed message. The engine passes its indexer; on its own this one has one of its own.
 */
export class SqliteMessageSearch implements MessageSearch {
  private readonly statements;

  constructor(
    db: Database.Database,
    private readonly lockWaitMs: number,
    private readonly indexer = new SqliteSearchIndexer(db),
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
    return whileLocked(() => {
      this.catchUp();
      return this.statements.search.all(searchParameters(request)).map((row) => ({
        message: toMessage(row, this.reactionsOf(row.id, request.viewer)),
        aroundSeq: row.around_seq,
      }));
    }, this.lockWaitMs);
  }

  /**
   * Indexes what is queued. A lock is waited for (whileLocked); a full disk or a read-only file
   * would make a read fail for want of a write, so the search answers from the index as it is:
   * the queue keeps, and what it holds is found once the fault is gone.
   */
  private catchUp(): void {
    try {
      this.indexer.indexPending();
    } catch (error) {
      if (isSqliteBusy(error) || storageFailureReason(error) === null) throw error;
    }
  }

  private reactionsOf(id: string, viewer: string): ReactionSummary[] {
    return this.statements.reactions
      .all(viewer, id)
      .map(({ emoji, count, me }) => ({ emoji, count, me: me === 1 }));
  }
}
