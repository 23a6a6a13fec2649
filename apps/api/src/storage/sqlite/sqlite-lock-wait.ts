import { setTimeout as delay } from 'node:timers/promises';
import { asStorageError, isSqliteBusy } from '../../common/errors/storage-failure.js';

/** The default of SQLITE_LOCK_WAIT_MS: how long a write waits for another process's lock. */
export const DEFAULT_LOCK_WAIT_MS = 10_000;

/** Waits between attempts on a locked database: 2, 4, 8 ... ms, then every 100 ms. */
export function lockBackoffMs(attempt: number): number {
  return Math.min(100, 2 ** (attempt + 1));
}

/**
 * Runs a synchronous SQLite call; while another process holds the lock, retries it later
 * instead of blocking. better-sqlite3 is synchronous and its busy_timeout would stop the event
 * loop for the whole wait (a 10 s lock froze every client for 10 s), so the connection's
 * busy_timeout is 0 and the waiting happens here, between turns of the loop. After `waitMs` the
 * lock becomes a StorageUnavailableError (`unavailable`); any other storage failure is one at once.
 */
export async function whileLocked<T>(work: () => T, waitMs: number): Promise<T> {
  const deadline = Date.now() + waitMs;
  for (let attempt = 0; ; attempt++) {
    try {
      return work();
    } catch (error) {
      if (!isSqliteBusy(error) || Date.now() >= deadline) throw asStorageError(error);
    }
    await delay(Math.min(lockBackoffMs(attempt), Math.max(1, deadline - Date.now())));
  }
}
