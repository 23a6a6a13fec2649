import { spawn } from 'node:child_process';
import { freePort } from './ports.mjs';
import { readCpuSeconds, readRssKiB } from './proc.mjs';
import { now, sleep } from './time.mjs';

/** Every child still running, so that exit and ctrl-c can stop them all (see killAllServers). */
const running = new Set();

/** Last bytes of a child's output kept for the report; enough for a stack trace. */
const LOG_TAIL_BYTES = 16 * 1024;

/**
 * A server under test, run as a child process so that its memory and CPU can be read from /proc
 * apart from the load generator's, and so it can be pinned to its own core.
 */
export class ServerProcess {
  /** @type {import('node:child_process').ChildProcess} */
  child;
  port = 0;
  /** @type {{ code: number | null, signal: string | null } | null} set once the child is gone */
  exit = null;
  log = '';

  /**
   * Starts `node <script>` on a free 127.0.0.1 port and waits until `isReady(port)` resolves.
   * @param {{ name: string, script: string, cwd: string, env: Record<string, string>,
   *   cpu: number | null, isReady: (port: number) => Promise<void>, readyTimeoutMs?: number,
   *   nodeArgs?: string[] }} options
   */
  static async start({ name, script, cwd, env, cpu, isReady, readyTimeoutMs = 30_000, nodeArgs = [] }) {
    const server = new ServerProcess();
    server.name = name;
    server.port = await freePort();
    // taskset execs node in place, so the pid we get is node's own (its /proc entries are the server's).
    const node = [process.execPath, ...nodeArgs, script];
    const command = cpu === null ? node : ['taskset', '-c', String(cpu), ...node];
    server.child = spawn(command[0], command.slice(1), {
      cwd,
      // NO_COLOR: logs end up in JSON and Markdown, where colour codes are noise.
      env: { ...process.env, NO_COLOR: '1', ...env, PORT: String(server.port), HOST: '127.0.0.1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    running.add(server);
    const keep = (chunk) => (server.log = (server.log + stripAnsi(chunk.toString())).slice(-LOG_TAIL_BYTES));
    server.child.stdout.on('data', keep);
    server.child.stderr.on('data', keep);
    server.exited = new Promise((resolve) =>
      server.child.once('exit', (code, signal) => {
        server.exit = { code, signal };
        running.delete(server);
        resolve(server.exit);
      }),
    );
    try {
      await server.waitReady(isReady, readyTimeoutMs);
    } catch (error) {
      await server.stop();
      throw error;
    }
    return server;
  }

  get pid() {
    return this.child.pid;
  }

  get alive() {
    return this.exit === null;
  }

  rssKiB() {
    return readRssKiB(this.pid);
  }

  cpuSeconds() {
    return readCpuSeconds(this.pid);
  }

  /** What went wrong, for error messages: exit status and the end of the child's output. */
  describeExit() {
    const status = this.exit ? `exited with ${this.exit.signal ?? `code ${this.exit.code}`}` : 'running';
    const lines = this.log.trim().split('\n').filter(Boolean);
    // The first line should say why: the first error line of the log, else its last line.
    const why = lines.find((line) => /error/i.test(line)) ?? lines.at(-1);
    return `${this.name} ${status}${why ? `: ${why.trim()}` : ''}${lines.length ? `\n${this.log.trim().slice(-2000)}` : ''}`;
  }

  /** Polls a real WebSocket handshake: a listening socket alone does not mean the app is wired. */
  async waitReady(isReady, timeoutMs) {
    const end = now() + timeoutMs;
    let lastError;
    while (now() < end) {
      if (!this.alive) throw new Error(`${this.describeExit()}`);
      try {
        await isReady(this.port);
        return;
      } catch (error) {
        lastError = error;
        await sleep(100);
      }
    }
    throw new Error(`${this.name} not ready after ${timeoutMs / 1000} s: ${lastError?.message}`);
  }

  /** SIGTERM, then SIGKILL if it has not exited within `graceMs`. */
  async stop(graceMs = 3000) {
    if (!this.alive) return this.exit;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.alive && this.child.kill('SIGKILL'), graceMs);
    const exit = await this.exited;
    clearTimeout(timer);
    return exit;
  }
}

// eslint-disable-next-line no-control-regex
const stripAnsi = (text) => text.replace(/\u001b\[[0-9;]*m/g, '');

/** Synchronous last resort for process exit and signals: nothing we started may outlive us. */
export function killAllServers() {
  for (const server of running) {
    try {
      server.child.kill('SIGKILL');
    } catch {
      // already gone
    }
  }
}

/**
 * One target's servers: usually one process, two for a cluster. Looks like one server to the
 * scenarios: memory and CPU are the sum over the processes, it has crashed when any one has,
 * and connection `i` goes to process `i mod n` (what a round-robin load balancer would do).
 */
export class ServerGroup {
  /** @param {ServerProcess[]} processes */
  constructor(processes) {
    this.processes = processes;
    this.exited = Promise.race(processes.map((p) => p.exited));
  }

  /** Port of the first process: where set-up requests go. */
  get port() {
    return this.processes[0].port;
  }

  get ports() {
    return this.processes.map((p) => p.port);
  }

  /** @param {number} index */
  portFor(index) {
    return this.processes[index % this.processes.length].port;
  }

  get alive() {
    return this.processes.every((p) => p.alive);
  }

  get log() {
    return this.processes.map((p) => p.log.trim()).join('\n');
  }

  rssKiB() {
    return sumOrNull(this.processes.map((p) => p.rssKiB()));
  }

  cpuSeconds() {
    return sumOrNull(this.processes.map((p) => p.cpuSeconds()));
  }

  describeExit() {
    return this.processes
      .filter((p) => !p.alive)
      .map((p) => p.describeExit())
      .join('\n');
  }

  async stop(graceMs) {
    await Promise.all(this.processes.map((p) => p.stop(graceMs)));
  }
}

const sumOrNull = (values) => (values.some((v) => v === null) ? null : values.reduce((a, b) => a + b, 0));
