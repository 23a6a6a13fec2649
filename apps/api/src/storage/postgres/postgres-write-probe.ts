import type pg from 'pg';
import { storageFailureReason } from '../../common/errors/storage-failure.js';

interface ProbeRow {
  messages: boolean;
  append: boolean;
  read_only: string;
}

/**
 * Why a write would fail right now, without writing: null when it would not. One round trip that
 * also notices what `SELECT 1` does not: a dropped schema (our tables and chat_append_many) and
 * a read-only server (a standby, or default_transaction_read_only).
 */
export async function postgresWriteProblem(pool: pg.Pool): Promise<string | null> {
  try {
    const { rows } = await pool.query<ProbeRow>(
      `SELECT to_regclass('messages') IS NOT NULL AS messages,
              to_regprocedure('chat_append_many(jsonb)') IS NOT NULL AS append,
              current_setting('transaction_read_only') AS read_only`,
    );
    const row = rows[0];
    if (!row?.messages || !row.append)
      return '42P01: the schema is missing (tables or chat_append_many dropped)';
    if (row.read_only === 'on') return '25006: the server is read-only';
    return null;
  } catch (error) {
    return storageFailureReason(error) ?? (error instanceof Error ? error.message : String(error));
  }
}
