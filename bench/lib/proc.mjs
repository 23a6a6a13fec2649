import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/**
 * Clock ticks per second for /proc/<pid>/stat times. Asked once from getconf because it is a
 * kernel build setting (almost always 100, but guessing would silently scale CPU figures).
 */
const CLOCK_TICKS = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/**
 * Resident memory of a process in KiB, from /proc/<pid>/status VmRSS: what the kernel really
 * holds for it (heap, buffers, native allocations), not just what V8 reports. null once gone.
 * @param {number} pid
 */
export function readRssKiB(pid) {
  try {
    const match = /^VmRSS:\s+(\d+)\s+kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) : null;
  } catch {
    return null;
  }
}

/**
 * User + system CPU seconds a process has used, from /proc/<pid>/stat. Comparing it with wall
 * time tells whether a server was saturated (the result means "server limit") or idle
 * (the result means "load generator limit").
 * @param {number} pid
 */
export function readCpuSeconds(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may contain spaces; the numeric fields start after its ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
  } catch {
    return null;
  }
}

/**
 * CPU seconds all processes on the machine ran (user + nice + system over all cores), from
 * /proc/stat. Minus the server's and the generator's own time, it shows other processes
 * competing for the cores: a busy machine makes every figure unreliable. Interrupt time is left
 * out on purpose: loopback networking runs there and is part of our own load.
 */
export function readMachineBusySeconds() {
  try {
    const [, ...ticks] = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0].trim().split(/\s+/);
    const [user, nice, system] = ticks.map(Number);
    return (user + nice + system) / CLOCK_TICKS;
  } catch {
    return null;
  }
}

/** This process's own CPU seconds (the load generator). */
export function ownCpuSeconds() {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
}
