import { spawnSync } from 'node:child_process';
import { fileLimits } from './machine.mjs';

/** File descriptors beyond the connections: node itself, pipes, /proc reads, listeners. */
const SPARE_FDS = 200;

/**
 * Makes sure this process may open `connections` sockets. Node cannot raise its own limit, so
 * when the soft limit is too low but the hard limit allows it, the benchmark re-runs itself
 * under `ulimit -n <hard>` (once). Returns what was decided, for the report:
 * { limit, reexecuted (exit code of the re-run) } or { limit, cap } when connections must be
 * capped because even the hard limit is too low.
 * @param {number} connections
 */
export function ensureFileLimit(connections) {
  const needed = connections + SPARE_FDS;
  const { soft, hard } = fileLimits();
  if (!(soft < needed)) return { limit: soft };
  if (hard >= needed && process.env.BENCH_RAISED_ULIMIT !== '1') {
    console.error(
      `ulimit -n is ${soft}; ${needed} needed: re-running with ulimit -n ${hard === Infinity ? 'unlimited' : hard}`,
    );
    const argv = [process.execPath, ...process.execArgv, ...process.argv.slice(1)].map(quote).join(' ');
    // Ctrl-c reaches the re-run directly (same process group); we just wait for it.
    process.on('SIGINT', () => {});
    process.on('SIGTERM', () => {});
    const child = spawnSync(
      '/bin/sh',
      ['-c', `ulimit -n ${hard === Infinity ? 'unlimited' : hard} && exec ${argv}`],
      {
        stdio: 'inherit',
        env: { ...process.env, BENCH_RAISED_ULIMIT: '1' },
      },
    );
    return { limit: hard, reexecuted: child.status ?? 1 };
  }
  return { limit: soft, cap: Math.max(0, soft - SPARE_FDS) };
}

const quote = (arg) => `'${String(arg).replace(/'/g, `'\\''`)}'`;
