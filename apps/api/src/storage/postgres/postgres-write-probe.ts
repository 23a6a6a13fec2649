import type pg from 'pg';
import { storageFailureReason } from '../../common/errors/storage-failure.js';

interface ProbeRow {
  messages: boolean;
  append: boolean;
  read_only: string;
}

/** Far below the health check's 2 s timeout, and long enough not to flap on a brief lock. */
const PROBE_LOCK_WAIT_MS = 500;

/**
 * Why a write would fail right now, without writing: null when it would not. One transaction that
 * also notices what `SELECT 1` does not: a dropped schema (our tables and chat_append_many) and
 * a read-only server (a standby, or default_transaction_read_only), and a lock on the messages
 * table that an insert would wait for.
 */
export async function postgresWriteProblem(pool: pg.Pool): Promise<string | null> {
  let client: pg.PoolClient | undefined;
  try {
    client = await pool.connect();
    await client.query('BEGIN');
    const { rows } = await client.query<ProbeRow>(
      `SELECT to_regclass('messages') IS NOT NULL AS messages,
              to_regprocedure('chat_append_many(jsonb)') IS NOT NULL AS append,
              current_setting('transaction_read_only') AS read_only`,
    );
    const row = rows[0];
    if (!row?.messages || !row.append)
      return '42P01: the schema is missing (tables or chat_append_many dropped)';
    if (row.read_only === 'on') return '25006: the server is read-only';
    // The lock an insert takes, without inserting: a session holding a conflicting lock on the
    // table (LOCK TABLE, ALTER TABLE, VACUUM FULL) would make every send wait, so not ready.
    await client.query(`SET LOCAL lock_timeout = '${PROBE_LOCK_WAIT_MS}ms'`);
    await client.query('LOCK TABLE messages IN ROW EXCLUSIVE MODE');
    return null;
  } catch (error) {
    if ((error as { code?: unknown }).code === '55P03')
      return '55P03: the messages table is locked by another session';
    return storageFailureReason(error) ?? (error instanceof Error ? error.message : String(error));
  } finally {
    // The transaction only ever read and took a lock: roll it back, which lets the lock go.
    await client?.query('ROLLBACK').catch(() => undefined);
    client?.release();
  }
}
