import pg from 'pg';
import { asStorageError } from '../../common/errors/storage-failure.js';
import { POSTGRES_MIGRATIONS } from './postgres-migrations.js';

/** Any number: it only has to be the same for every instance of this app. */
const MIGRATION_LOCK_ID = 7_263_001;

/**
 * Runs a query; a database that cannot serve it now (unreachable, refusing connections, read-only,
 * full, its schema dropped) becomes a {@link StorageUnavailableError}, so clients hear
 * `unavailable` and retry, and the write-health tracker hears about it.
 */
export async function query<R extends pg.QueryResultRow>(
  pool: pg.Pool,
  text: string,
  values: unknown[] = [],
): Promise<pg.QueryResult<R>> {
  try {
    return await pool.query<R>(text, values);
  } catch (error) {
    throw asStorageError(error);
  }
}

/** The default lock wait (STORAGE_LOCK_WAIT_MS), the same as SQLite's. */
const DEFAULT_LOCK_WAIT_MS = 10_000;

/**
 * How much longer than the lock wait any one statement may run before PostgreSQL cancels it
 * (57014): a backstop for a statement that waits on several locks in turn, or on something that
 * is not a lock, so no send or read is left without an answer.
 */
const STATEMENT_SLACK_MS = 5000;

/**
 * A connection pool with an up-to-date schema. Every session waits at most `lockWaitMs` for a
 * lock (`lock_timeout`: 55P03), so a table or row lock held by another session (a psql shell in a
 * transaction, a migration) refuses the send or read with `unavailable` after that long instead
 * of leaving it unanswered for the lock's duration: the contract SQLite has.
 */
export async function openPostgresPool(
  connectionString: string,
  lockWaitMs = DEFAULT_LOCK_WAIT_MS,
): Promise<pg.Pool> {
  // 0 would mean "wait forever" to PostgreSQL.
  const lockTimeout = Math.max(1, lockWaitMs);
  const pool = new pg.Pool({
    connectionString,
    max: 10,
    connectionTimeoutMillis: 5000,
    lock_timeout: lockTimeout,
    statement_timeout: lockTimeout + STATEMENT_SLACK_MS,
  });
  // An idle client that loses its connection emits here; without a listener the process dies.
  pool.on('error', () => undefined);
  await migrate(pool);
  return pool;
}

async function migrate(pool: pg.Pool): Promise<void> {
  const client = await pool.connect();
  try {
    // Another instance may be migrating: wait for it however long it takes (start-up, no client waits).
    await client.query('SET lock_timeout = 0');
    await client.query('SET statement_timeout = 0');
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_ID]);
    await client.query(
      'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())',
    );
    const { rows } = await client.query<{ version: number }>('SELECT version FROM schema_migrations');
    const applied = new Set(rows.map((row) => row.version));
    for (const [index, sql] of POSTGRES_MIGRATIONS.entries()) {
      const version = index + 1;
      if (applied.has(version)) continue;
      await client.query('BEGIN');
      try {
        await client.query(sql);
        await client.query('INSERT INTO schema_migrations (version) VALUES ($1)', [version]);
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK');
        throw error;
      }
    }
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_ID]).catch(() => undefined);
    // Back to the pool's lock_timeout and statement_timeout (the session's start-up values).
    await client.query('RESET lock_timeout').catch(() => undefined);
    await client.query('RESET statement_timeout').catch(() => undefined);
    client.release();
  }
}
