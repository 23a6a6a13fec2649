/**
 * A start-up failure whose message is already the one line an operator needs: what is wrong
 * and the fix. main prints it as it is, without a stack.
 */
export class StartupError extends Error {}

/** What a file-system or SQLite code says about DATA_DIR, in words. */
const DATA_DIR_PROBLEMS: [RegExp, string][] = [
  [/^(EROFS|SQLITE_READONLY)/, 'it is read-only'],
  [/^(EACCES|EPERM)$/, 'permission denied'],
  [/^(ENOSPC|EDQUOT|SQLITE_FULL)$/, 'the disk is full'],
  [/^(ENOTDIR|EEXIST)$/, 'it is not a directory'],
  [/^(SQLITE_CANTOPEN|SQLITE_IOERR)/, 'the database file cannot be opened or written there'],
  [/^EIO$/, 'an I/O error'],
];

/**
 * A failure to create or write something under DATA_DIR as a {@link StartupError}, or null when
 * `error` is not about the directory (then it is a bug and keeps its stack).
 */
export function dataDirError(dir: string, what: string, error: unknown): StartupError | null {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== 'string') return null;
  const problem = DATA_DIR_PROBLEMS.find(([pattern]) => pattern.test(code))?.[1];
  if (problem === undefined) return null;
  return new StartupError(
    `Cannot ${what} in DATA_DIR=${dir}: ${problem} (${code}). Fix: point DATA_DIR at a writable directory with free space.`,
    { cause: error },
  );
}

/** Start-up failures as one line with the fix; anything unforeseen keeps its stack for the bug report. */
export function describeStartupError(error: unknown): string {
  const { code, port, message } = (error ?? {}) as { code?: string; port?: number; message?: string };
  if (error instanceof StartupError) return error.message;
  if (code === 'EADDRINUSE') {
    return `Cannot listen on port ${port}: it is already in use. Fix: stop the other process, or set PORT to a free port.`;
  }
  if (code === 'EACCES') {
    return `Cannot listen on port ${port}: permission denied. Fix: use a port above 1023, or run with the needed rights.`;
  }
  if (code === 'ENOENT' && message?.includes('TLS')) return message;
  if (error instanceof Error && /^Cannot use PostgreSQL/.test(error.message)) return error.message;
  return `Start-up failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`;
}
