import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import type { User } from '@chat/contracts';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { parseSearchTerms } from '../apps/api/src/search/search-terms.js';
import type { StorageEngine } from '../apps/api/src/storage/storage-engine.js';
import { openSqliteDatabase, SQLITE_FILE_NAME } from '../apps/api/src/storage/sqlite/sqlite-database.js';
import { sqliteEngine } from '../apps/api/src/storage/sqlite/sqlite-engine.js';
import {
  SEARCH_SQL,
  searchParameters,
  SqliteMessageSearch,
} from '../apps/api/src/storage/sqlite/sqlite-message-search.js';
import { SqliteMessageStore } from '../apps/api/src/storage/sqlite/sqlite-message-store.js';
import { SqliteSearchIndexer } from '../apps/api/src/storage/sqlite/sqlite-search-indexer.js';
import { describeMessageSearchContract } from '../apps/api/src/storage/testing/message-search.contract.js';
import { sqliteMigratedBefore } from './utils/migrations.js';
import { createTempDir } from './utils/temp-dir.js';
import { eventually } from './utils/webhook-receiver.js';

const alice: User = { id: 'u-alice', name: 'alice', guest: false };

/** Where the index stands: the highest doc indexed, the highest queued, and the FTS rows. */
function indexState(db: Database.Database): { upto: number; last: number | null; rows: number } {
  return db
    .prepare<[], { upto: number; last: number | null; rows: number }>(
      `SELECT upto, (SELECT max(doc) FROM message_search_docs) AS last,
              (SELECT count(*) FROM message_search) AS rows
       FROM message_search_state`,
    )
    .get()!;
}

const request = (q: string) => ({
  terms: parseSearchTerms(q),
  viewer: alice.id,
  now: new Date().toISOString(),
  offset: 0,
  limit: 20,
});

// The contract once more through the engine: its indexer (with the timer) behind the search.
describeMessageSearchContract('SqliteMessageSearch in the SQLite engine', () => {
  const dir = createTempDir();
  const db = openSqliteDatabase(dir.path);
  const engine = sqliteEngine(db, 1000);
  return Promise.resolve({
    messages: engine.messages,
    search: engine.search,
    rooms: engine.rooms,
    membership: engine.memberships,
    backdate: (id, time) => {
      db.prepare('UPDATE messages SET created_at = ? WHERE id = ?').run(time, id);
      return Promise.resolve();
    },
    plan: (search) =>
      Promise.resolve(
        db
          .prepare<[ReturnType<typeof searchParameters>], { detail: string }>(
            `EXPLAIN QUERY PLAN ${SEARCH_SQL}`,
          )
          .all(searchParameters(search))
          .map((row) => row.detail)
          .join('\n'),
      ),
    indexMark: /SCAN s VIRTUAL TABLE INDEX \d+:M/,
    async close() {
      await engine.close();
      dir.remove();
    },
  });
});

describe('SqliteSearchIndexer', () => {
  let dir: ReturnType<typeof createTempDir>;
  let db: Database.Database;
  let store: SqliteMessageStore;
  let engine: StorageEngine | undefined;
  let n = 0;
  const send = async (text: string, on = store) =>
    (await on.append({ room: 'general', text, user: alice, clientId: `m${++n}` })).message;
  const change = (draft: { type: 'edit'; text: string } | { type: 'delete' }, id: string) =>
    store.appendChange({ ...draft, room: 'general', user: alice, clientId: `c${++n}`, id });
  const texts = async (q: string, search = new SqliteMessageSearch(db, 1000)) =>
    (await search.search(request(q))).map((row) => row.message.text);

  beforeEach(() => {
    dir = createTempDir();
    db = openSqliteDatabase(dir.path);
    // A bare store: nothing indexes unless the test says so.
    store = new SqliteMessageStore(db);
  });
  afterEach(async () => {
    await store.close();
    await engine?.close();
    engine = undefined;
    if (db.open) db.close();
    dir.remove();
  });

  it('should queue a sent message without indexing it, and index it once when run', async () => {
    await send('first words');
    await send('second words');
    expect(indexState(db)).toEqual({ upto: 0, last: 2, rows: 0 });
    const indexer = new SqliteSearchIndexer(db);
    expect(indexer.indexPending()).toBe(2);
    expect(indexState(db)).toEqual({ upto: 2, last: 2, rows: 2 });
    expect(indexer.indexPending()).toBe(0);
    expect((await texts('words')).sort()).toEqual(['first words', 'second words']);
  });

  it('should find messages sent before a crash that left them unindexed, once restarted', async () => {
    await send('survives the crash');
    await send('also survives');
    // The process dies: the messages and their queue rows are committed, nothing is indexed.
    db.close();
    db = openSqliteDatabase(dir.path);
    expect(indexState(db)).toEqual({ upto: 0, last: 2, rows: 0 });
    engine = sqliteEngine(db, 1000);
    // The engine catches up at start-up, before anyone searches.
    await eventually(() => indexState(db).upto === 2, 'the start-up indexing');
    expect(indexState(db).rows).toBe(2);
    expect((await texts('survives', engine.search as SqliteMessageSearch)).sort()).toEqual([
      'also survives',
      'survives the crash',
    ]);
  });

  it('should find a message edited before it was indexed by its new words only, and one deleted before never', async () => {
    const edited = await send('meet at the harbour');
    const deleted = await send('harbour secrets');
    await change({ type: 'edit', text: 'meet at the station' }, edited.id);
    await change({ type: 'delete' }, deleted.id);
    expect(indexState(db)).toMatchObject({ upto: 0, rows: 0 });
    expect(await texts('station')).toEqual(['meet at the station']);
    expect(await texts('harbour')).toEqual([]);
    expect(await texts('secrets')).toEqual([]);
    // The deleted message added no row; its doc is passed all the same.
    expect(indexState(db)).toEqual({ upto: 2, last: 2, rows: 1 });
  });

  it('should replace the words of an indexed message on edit and drop a deleted one', async () => {
    const edited = await send('meet at the harbour');
    const deleted = await send('harbour secrets');
    expect((await texts('harbour')).sort()).toEqual(['harbour secrets', 'meet at the harbour']);
    await change({ type: 'edit', text: 'meet at the station' }, edited.id);
    await change({ type: 'delete' }, deleted.id);
    // Nothing new is queued: the triggers changed the index in the edit's and delete's transactions.
    expect(indexState(db)).toEqual({ upto: 2, last: 2, rows: 1 });
    expect(await texts('harbour')).toEqual([]);
    expect(await texts('secrets')).toEqual([]);
    expect(await texts('station')).toEqual(['meet at the station']);
    // Edited while queued, then again once indexed: only the last words count.
    const twice = await send('draft one');
    await change({ type: 'edit', text: 'draft two' }, twice.id);
    expect(await texts('draft')).toEqual(['draft two']);
    await change({ type: 'edit', text: 'final three' }, twice.id);
    expect(await texts('draft')).toEqual([]);
    expect(await texts('final')).toEqual(['final three']);
  });

  it('should index shortly after a commit in the engine, without a search', async () => {
    engine = sqliteEngine(db, 1000);
    await send('indexed by the timer', engine.messages as SqliteMessageStore);
    await eventually(() => indexState(db).upto === 1, 'the deferred indexing');
    expect(indexState(db)).toEqual({ upto: 1, last: 1, rows: 1 });
  });

  it('should index what is queued when the engine closes', async () => {
    const closing = sqliteEngine(db, 1000);
    await send('sent just before shutdown', closing.messages as SqliteMessageStore);
    await closing.close();
    db = new Database(join(dir.path, SQLITE_FILE_NAME));
    expect(indexState(db)).toEqual({ upto: 1, last: 1, rows: 1 });
  });

  it("should wait for another process's lock without blocking, in search and in its timer", async () => {
    await send('locked out for a while');
    const other = new Database(join(dir.path, SQLITE_FILE_NAME));
    try {
      other.exec('BEGIN IMMEDIATE');
      const indexer = new SqliteSearchIndexer(db, { delayMs: 1 });
      expect(() => indexer.indexPending()).toThrow(expect.objectContaining({ code: 'SQLITE_BUSY' }));
      const attempts = jest.spyOn(indexer, 'indexPending');
      indexer.schedule();
      await eventually(() => attempts.mock.results.some((r) => r.type === 'throw'), 'a locked attempt');
      const found = texts('locked', new SqliteMessageSearch(db, 5000, indexer));
      other.exec('COMMIT');
      expect(await found).toEqual(['locked out for a while']);
      expect(indexState(db)).toEqual({ upto: 1, last: 1, rows: 1 });
      await indexer.close();
    } finally {
      other.close();
    }
  });

  it('should answer from the index as it is while nothing can be written, and catch up after', async () => {
    await send('an older message');
    expect(await texts('message')).toEqual(['an older message']);
    await send('a newer message');
    db.pragma('query_only = 1');
    expect(await texts('message')).toEqual(['an older message']);
    db.pragma('query_only = 0');
    expect((await texts('message')).sort()).toEqual(['a newer message', 'an older message']);
  });
});

describe('The deferred search migration', () => {
  it('should start from what migration 9 indexed, index nothing twice, and never reuse a doc', async () => {
    const dir = createTempDir();
    try {
      const old = sqliteMigratedBefore(join(dir.path, SQLITE_FILE_NAME), 'message_search_state');
      const insert = old.prepare(
        `INSERT INTO messages (id, room, seq, user_id, user_name, user_guest, client_id, text, created_at)
         VALUES (?, 'general', ?, 'u-alice', 'alice', 0, ?, ?, '2026-01-01T00:00:00.000Z')`,
      );
      insert.run('m-1', 1, 'c1', 'indexed by the old trigger');
      insert.run('m-2', 2, 'c2', 'also indexed by the old trigger');
      old.prepare("UPDATE rooms SET last_seq = 2 WHERE name = 'general'").run();
      old.close();
      const db = openSqliteDatabase(dir.path);
      const store = new SqliteMessageStore(db);
      try {
        expect(indexState(db)).toEqual({ upto: 2, last: 2, rows: 2 });
        const search = new SqliteMessageSearch(db, 1000);
        const found = await search.search(request('trigger'));
        expect(found.map((row) => row.message.id).sort()).toEqual(['m-1', 'm-2']);
        expect(indexState(db).rows).toBe(2);
        // Whatever removes the newest indexed message, the next one gets a doc of its own.
        db.prepare("DELETE FROM messages WHERE id = 'm-2'").run();
        await store.append({ room: 'general', text: 'after the migration', user: alice, clientId: 'c3' });
        expect(indexState(db)).toEqual({ upto: 2, last: 3, rows: 1 });
        expect((await search.search(request('after'))).map((row) => row.message.text)).toEqual([
          'after the migration',
        ]);
        expect(indexState(db)).toEqual({ upto: 3, last: 3, rows: 2 });
      } finally {
        await store.close();
        db.close();
      }
    } finally {
      dir.remove();
    }
  });
});
