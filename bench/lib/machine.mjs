import { execFileSync } from 'node:child_process';
import os from 'node:os';

/**
 * What the numbers were measured on. Benchmarks are only comparable on the same machine, so the
 * result files carry enough to tell two machines apart.
 */
export function describeMachine() {
  const cpus = os.cpus();
  return {
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    cpuModel: cpus[0]?.model?.trim() ?? 'unknown',
    // os.cpus(), not availableParallelism(): the latter shrinks to 1 once this process is pinned.
    cores: cpus.length,
    totalMemoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
  };
}

/**
 * Which build of ours was measured: the commit and whether the tree had uncommitted changes
 * (dist/ is built from the working tree, so "dirty" means the commit alone does not say).
 * @param {string} repoRoot
 */
export function describeRevision(repoRoot) {
  try {
    return execFileSync('git', ['-C', repoRoot, 'describe', '--always', '--dirty'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
  } catch {
    return 'unknown (not a git checkout)';
  }
}

/** True when the `taskset` command exists (util-linux); pinning is skipped without it. */
export function hasTaskset() {
  try {
    execFileSync('taskset', ['-V'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/**
 * The open-file limits a child process starts with. Node cannot read rlimits itself, but a
 * shell it spawns inherits them, so `ulimit` there reports ours.
 */
export function fileLimits() {
  const read = (flag) => {
    try {
      const out = execFileSync('/bin/sh', ['-c', `ulimit ${flag}`], { encoding: 'utf8' }).trim();
      return out === 'unlimited' ? Infinity : Number(out);
    } catch {
      return NaN;
    }
  };
  return { soft: read('-n'), hard: read('-Hn') };
}

/**
 * Pins this process (all its threads, -a) to one CPU so the load generator does not steal the
 * server's core. Returns false when it could not, which the report then states.
 * @param {number} cpu
 */
export function pinSelf(cpu) {
  try {
    execFileSync('taskset', ['-a', '-c', '-p', String(cpu), String(process.pid)], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
