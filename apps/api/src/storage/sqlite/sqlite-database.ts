import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { SQLITE_MIGRATIONS } from './sqlite-migrations.js';

export const SQLITE_FILE_NAME = 'chat.sqlite3';

/**
 * Opens (creating if needed) the SQLite database under `dataDir` and brings its schema up to date.
 * WAL lets readers run while a write commits; synchronous=FULL makes each commit reach the disk
 * before it returns, which is what "durable before acknowledged" needs.
 */
export function openSqliteDatabase(dataDir: string): Database.Database {
  const dir = resolve(dataDir);
  mkdirSync(dir, { recursive: true });
  const db = new Database(join(dir, SQLITE_FILE_NAME));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  migrate(db);
  return db;
}

function migrate(db: Database.Database): void {
  db.exec(
    'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)',
  );
  const applied = new Set(db.prepare('SELECT version FROM schema_migrations').pluck().all() as number[]);
  const record = db.prepare('INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)');
  SQLITE_MIGRATIONS.forEach((sql, index) => {
    const version = index + 1;
    if (applied.has(version)) return;
    db.transaction(() => {
      db.exec(sql);
      record.run(version, new Date().toISOString());
    }).immediate();
  });
}
