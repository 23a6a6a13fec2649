import type Database from 'better-sqlite3';
import { storageFailureReason } from '../../common/errors/storage-failure.js';

/**
 * Why a write would fail right now, without writing: null when it would not (as far as can be
 * told; a full disk shows only on a real write, which WriteHealth remembers). Takes the write
 * lock and gives it back at once; with busy_timeout 0 this never waits.
 */
export function sqliteWriteProblem(db: Database.Database): string | null {
  if (db.readonly) return 'SQLITE_READONLY: the database was opened read-only';
  try {
    db.prepare('SELECT 1').get();
    db.exec('BEGIN IMMEDIATE');
    db.exec('ROLLBACK');
    return null;
  } catch (error) {
    const reason = storageFailureReason(error);
    if (reason?.startsWith('SQLITE_BUSY')) return `${reason}: the database is locked by another process`;
    return reason ?? (error instanceof Error ? error.message : String(error));
  }
}
