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

/** A connection pool with an up-to-date schema. */
export async function openPostgresPool(connectionString: string): Promise<pg.Pool> {
  const pool = new pg.Pool({ connectionString, max: 10, connectionTimeoutMillis: 5000 });
  // An idle client that loses its connection emits here; without a listener the process dies.
  pool.on('error', () => undefined);
  await migrate(pool);
  return pool;
}

async function migrate(pool: pg.Pool): Promise<void> {
  const client = await pool.connect();
  try {
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
    client.release();
  }
}
