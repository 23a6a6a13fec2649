import { UnavailableError } from './chat-errors.js';

/**
 * The database cannot take writes (or answer) right now: a full disk, a read-only file system, a
 * lock held by another process, PostgreSQL down or refusing connections, a dropped schema. The
 * request was fine; the client should retry later with the same clientId, so it is `unavailable`
 * on the wire, never `internal`.
 */
export class StorageUnavailableError extends UnavailableError {
  constructor(
    /** The engine's own code (SQLITE_FULL, ENOSPC, 57P03...), for logs and /readyz. */
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(
      `storage is unavailable (${reason}); nothing was stored: retry later with the same clientId`,
      options,
    );
  }
}

/**
 * SQLite result codes (better-sqlite3's `code`, extended codes start with these) for a database
 * that cannot write now, as opposed to a statement that is wrong. SQLITE_BUSY/LOCKED are a lock
 * held by another process; the rest are the disk, the file system or the file.
 */
const SQLITE_PREFIXES = [
  'SQLITE_FULL',
  'SQLITE_READONLY',
  'SQLITE_BUSY',
  'SQLITE_LOCKED',
  'SQLITE_IOERR',
  'SQLITE_CANTOPEN',
  'SQLITE_NOLFS',
  'SQLITE_PROTOCOL',
];

/** Node's errno codes from the file system or the network. */
const ERRNO_CODES = new Set([
  'ENOSPC',
  'EROFS',
  'EDQUOT',
  'EIO',
  'EACCES',
  'EPERM',
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
]);

/** PostgreSQL SQLSTATEs that mean "not now" (or "the schema is gone"), not "your query is wrong". */
const SQLSTATE_CODES = new Set([
  '08000', // connection_exception
  '08001', // sqlclient_unable_to_establish_sqlconnection
  '08003', // connection_does_not_exist
  '08006', // connection_failure
  '08P01', // protocol_violation (a proxy cut the stream)
  '25006', // read_only_sql_transaction (a standby, or default_transaction_read_only)
  '28000', // invalid_authorization_specification (pg_hba changed under us)
  '28P01', // invalid_password
  '3D000', // invalid_catalog_name: the database was dropped
  '3F000', // invalid_schema_name
  '40001', // serialization_failure
  '40P01', // deadlock_detected
  '42P01', // undefined_table: the schema was dropped
  '42883', // undefined_function: chat_append_many was dropped
  '53000', // insufficient_resources
  '53100', // disk_full
  '53200', // out_of_memory
  '53300', // too_many_connections
  '55000', // object_not_in_prerequisite_state: e.g. the database does not accept connections
  '55006', // object_in_use
  '55P03', // lock_not_available (lock_timeout: another session holds the lock)
  '57014', // query_canceled (statement_timeout, the backstop behind lock_timeout)
  '57P01', // admin_shutdown
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now (starting up, shutting down)
  '58000', // system_error
  '58030', // io_error
]);

/** node-postgres reports a lost or refused connection without a code, only in words. */
const CONNECTION_LOST =
  /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|connection is insecure|Connection refused/i;

/** The engine's code when `error` means the storage cannot do this now; null for anything else. */
export function storageFailureReason(error: unknown): string | null {
  if (error instanceof StorageUnavailableError) return error.reason;
  if (typeof error !== 'object' || error === null) return null;
  const { code, message } = error as { code?: unknown; message?: unknown };
  if (typeof code === 'string') {
    if (SQLITE_PREFIXES.some((prefix) => code.startsWith(prefix))) return code;
    if (ERRNO_CODES.has(code) || SQLSTATE_CODES.has(code)) return code;
  }
  if (typeof message === 'string' && CONNECTION_LOST.test(message)) return 'connection lost';
  return null;
}

/** `error` as a {@link StorageUnavailableError} when it is a storage failure; otherwise unchanged. */
export function asStorageError(error: unknown): unknown {
  if (error instanceof StorageUnavailableError) return error;
  const reason = storageFailureReason(error);
  return reason === null ? error : new StorageUnavailableError(reason, { cause: error });
}

/** SQLite's "another connection holds the lock": worth waiting for, unlike a full disk. */
export function isSqliteBusy(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED'));
}
