import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { dataDirError } from '../../startup-error.js';
import { SQLITE_MIGRATIONS } from './sqlite-migrations.js';

export const SQLITE_FILE_NAME = 'chat.sqlite3';

/**
 * Opens (creating if needed) the SQLite database under `dataDir` and brings its schema up to date.
 * WAL lets readers run while a write commits; synchronous=FULL makes each commit reach the disk
 * before it returns, which is what "durable before acknowledged" needs. A directory that cannot
 * be written is a one-line StartupError.
 */
export function openSqliteDatabase(dataDir: string): Database.Database {
  const dir = resolve(dataDir);
  try {
    mkdirSync(dir, { recursive: true });
    return open(join(dir, SQLITE_FILE_NAME));
  } catch (error) {
    throw dataDirError(dir, `open the SQLite database ${SQLITE_FILE_NAME}`, error) ?? error;
  }
}

function open(file: string): Database.Database {
  const db = new Database(file);
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    // Blocking is fine at start-up (nothing is served yet): wait for another process's lock.
    db.pragma('busy_timeout = 5000');
    migrate(db);
    // From now on never block the event loop on a lock: the stores retry between turns instead
    // (see whileLocked).
    db.pragma('busy_timeout = 0');
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
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
