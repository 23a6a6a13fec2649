import type Database from 'better-sqlite3';
import type pg from 'pg';

/** The one database connection the stores share, whichever engine the configuration chose. */
export type DatabaseHandle = { kind: 'sqlite'; db: Database.Database } | { kind: 'postgres'; pool: pg.Pool };

/** Nest injection token for the {@link DatabaseHandle}. */
export const DATABASE = Symbol('Database');

/** postgres://user:secret@host/db -> postgres://user:***@host/db, for messages and logs. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '<unparseable url>';
  }
}
