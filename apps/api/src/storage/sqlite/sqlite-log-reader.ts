import type Database from 'better-sqlite3';
import type { ChatMessage, ReactionSummary, RoomChange } from '@chat/contracts';
import type { LogEntry, MessagePage, PageQuery } from '../message-store.js';
import { fitPage, fitPageForward } from '../page-budget.js';
import { MESSAGE_SELECT, toMessage, type MessageRow } from './sqlite-log-rows.js';

interface ChangeRow {
  seq: number;
  type: string;
  data: string;
}

/** Reads of a room's log: pages in their latest state, the log for gap repair, the replay of changes. */
export class SqliteLogReader {
  private readonly statements;
  private readonly page;

  constructor(private readonly db: Database.Database) {
    this.statements = {
      lastSeq: db.prepare<[string], number>('SELECT last_seq FROM rooms WHERE name = ?').pluck(),
      page: db.prepare<[string, number, number, number], MessageRow>(
        `${MESSAGE_SELECT} WHERE m.room = ? AND m.seq > ? AND m.seq < ? ORDER BY m.seq DESC LIMIT ?`,
      ),
      threadPage: db.prepare<[string, string, number, number, number], MessageRow>(
        `${MESSAGE_SELECT} WHERE m.room = ? AND m.thread_id = ? AND m.seq > ? AND m.seq < ?
         ORDER BY m.seq DESC LIMIT ?`,
      ),
      pageForward: db.prepare<[string, number, number, number], MessageRow>(
        `${MESSAGE_SELECT} WHERE m.room = ? AND m.seq > ? AND m.seq < ? ORDER BY m.seq LIMIT ?`,
      ),
      threadPageForward: db.prepare<[string, string, number, number, number], MessageRow>(
        `${MESSAGE_SELECT} WHERE m.room = ? AND m.thread_id = ? AND m.seq > ? AND m.seq < ?
         ORDER BY m.seq LIMIT ?`,
      ),
      reactions: db.prepare<[string, string], { emoji: string; count: number; me: number }>(
        `SELECT emoji, count(*) AS count, max(user_id = ?) AS me FROM reactions WHERE message_id = ?
         GROUP BY emoji ORDER BY emoji`,
      ),
      byId: db.prepare<[string], MessageRow>(`${MESSAGE_SELECT} WHERE m.id = ?`),
      byClientId: db.prepare<[string, string], MessageRow>(
        `${MESSAGE_SELECT} WHERE m.user_id = ? AND m.client_id = ?`,
      ),
      events: db.prepare<[string, number, number, number], ChangeRow>(
        'SELECT seq, type, data FROM room_events WHERE room = ? AND seq > ? AND seq < ? ORDER BY seq DESC LIMIT ?',
      ),
      changes: db.prepare<[string, number, number, number, number], ChangeRow>(
        `SELECT seq, type, data FROM room_events WHERE room = ? AND seq > ? AND seq <= ?
         AND (message_seq <= ? OR type = 'member') ORDER BY seq LIMIT ?`,
      ),
      clientIdUsed: db
        .prepare<[string, string, string, string], number>(
          `SELECT EXISTS (SELECT 1 FROM messages WHERE user_id = ? AND client_id = ?)
             OR EXISTS (SELECT 1 FROM room_events WHERE user_id = ? AND client_id = ?)`,
        )
        .pluck(),
    };
    // One read transaction, so the page and lastSeq come from the same snapshot.
    this.page = db.transaction((room: string, query: PageQuery): MessagePage => {
      const { after = 0, before, limit, maxBytes, viewer, threadId, oldest } = query;
      const upper = before ?? Number.MAX_SAFE_INTEGER;
      if (oldest) {
        const rows =
          threadId === undefined
            ? this.statements.pageForward.iterate(room, after, upper, limit + 1)
            : this.statements.threadPageForward.iterate(room, threadId, after, upper, limit + 1);
        const page = fitPageForward(this.latest(rows, viewer), limit, maxBytes);
        return { ...page, lastSeq: this.statements.lastSeq.get(room) ?? 0 };
      }
      // Rows are read one by one and no further than the page needs: a page of long messages
      // stops after a few of them instead of reading all `limit` (up to 500 of 24 KB).
      const rows =
        threadId === undefined
          ? this.statements.page.iterate(room, after, upper, limit + 1)
          : this.statements.threadPage.iterate(room, threadId, after, upper, limit + 1);
      const page = fitPage(this.latest(rows, viewer), limit, maxBytes);
      return { ...page, lastSeq: this.statements.lastSeq.get(room) ?? 0 };
    });
  }

  readPage(room: string, query: PageQuery): MessagePage {
    return this.page(room, query);
  }

  lastSeqOf(room: string): number {
    return this.statements.lastSeq.get(room) ?? 0;
  }

  readLog(room: string, after: number, before: number | undefined, limit: number): LogEntry[] {
    return this.db.transaction(() => {
      const upper = before ?? Number.MAX_SAFE_INTEGER;
      const messages = [...this.latest(this.statements.page.iterate(room, after, upper, limit))].map(
        (data): LogEntry => ({ event: 'message', data }),
      );
      const changes = this.statements.events.all(room, after, upper, limit).map(toChange);
      return [...messages, ...changes]
        .sort((a, b) => b.data.seq - a.data.seq)
        .slice(0, limit)
        .reverse();
    })();
  }

  readChanges(room: string, since: number, until: number, limit: number): RoomChange[] {
    return this.statements.changes.all(room, since, until, since, limit).map(toChange);
  }

  findMessage(id: string): ChatMessage | undefined {
    const row = this.statements.byId.get(id);
    return row && toMessage(row, this.reactionsOf(row.id));
  }

  findByClientId(userId: string, clientId: string): ChatMessage | undefined {
    const row = this.statements.byClientId.get(userId, clientId);
    return row && toMessage(row, this.reactionsOf(row.id));
  }

  isClientIdUsed(userId: string, clientId: string): boolean {
    return this.statements.clientIdUsed.get(userId, clientId, userId, clientId) === 1;
  }

  private *latest(rows: Iterable<MessageRow>, viewer?: string): Generator<ChatMessage> {
    for (const row of rows) yield toMessage(row, this.reactionsOf(row.id, viewer));
  }

  private reactionsOf(id: string, viewer?: string): ReactionSummary[] {
    return this.statements.reactions
      .all(viewer ?? '', id)
      .map(({ emoji, count, me }) => ({ emoji, count, me: viewer !== undefined && me === 1 }));
  }
}

function toChange(row: ChangeRow): RoomChange {
  return { event: row.type, data: JSON.parse(row.data) as unknown } as RoomChange;
}
