/** Start-up failures as one line with the fix; anything unforeseen keeps its stack for the bug report. */
export function describeStartupError(error: unknown): string {
  const { code, port, message } = (error ?? {}) as { code?: string; port?: number; message?: string };
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
