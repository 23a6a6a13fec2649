import Database from 'better-sqlite3';
import type pg from 'pg';
import { POSTGRES_MIGRATIONS } from '../../apps/api/src/storage/postgres/postgres-migrations.js';
import { SQLITE_MIGRATIONS } from '../../apps/api/src/storage/sqlite/sqlite-migrations.js';

/** The index of the first migration whose SQL contains `marker` (found by content, not number). */
function stepOf(migrations: readonly string[], marker: string): number {
  const index = migrations.findIndex((sql) => sql.includes(marker));
  if (index < 0) throw new Error(`no migration contains "${marker}"`);
  return index;
}

/**
 * A SQLite database at `file` migrated as the previous release left it: every step before the
 * first one containing `marker`. The caller adds rows, closes it, and starts the server on it.
 */
export function sqliteMigratedBefore(file: string, marker: string): Database.Database {
  const db = new Database(file);
  db.exec('CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)');
  SQLITE_MIGRATIONS.slice(0, stepOf(SQLITE_MIGRATIONS, marker)).forEach((sql, index) => {
    db.exec(sql);
    db.prepare('INSERT INTO schema_migrations VALUES (?, ?)').run(index + 1, new Date().toISOString());
  });
  return db;
}

/** The same for PostgreSQL, on a connected client of an empty database. */
export async function postgresMigrateBefore(client: pg.Client, marker: string): Promise<void> {
  await client.query(
    'CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())',
  );
  for (const [index, sql] of POSTGRES_MIGRATIONS.slice(0, stepOf(POSTGRES_MIGRATIONS, marker)).entries()) {
    await client.query(sql);
    await client.query('INSERT INTO schema_migrations (version) VALUES ($1)', [index + 1]);
  }
}
