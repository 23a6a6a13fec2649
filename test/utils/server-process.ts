import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import net from 'node:net';
import { fileURLToPath } from 'node:url';

const MAIN = fileURLToPath(new URL('../../apps/api/dist/main.js', import.meta.url));

export interface ServerProcess {
  port: number;
  baseUrl: string;
  wsUrl: string;
  child: ChildProcess;
  /** Everything the process printed, for failure messages. */
  output(): string;
  /** Resolves with the exit code (or the signal's name) once the process has ended. */
  exited: Promise<number | string>;
  kill(signal?: NodeJS.Signals): Promise<number | string>;
}

/** A free TCP port on 127.0.0.1 (the OS picks one; it is released before the server binds it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/**
 * Starts the built server (`apps/api/dist/main.js`) as a real process, as `npm start` would, and
 * waits until it accepts connections. Used where a test must kill or restart the process.
 */
export async function startServerProcess(
  env: Record<string, string>,
  port?: number,
  options: { fileDescriptorLimit?: number } = {},
): Promise<ServerProcess> {
  if (!existsSync(MAIN)) throw new Error('apps/api/dist is missing: run `npm run build` (npm test does it)');
  const chosenPort = port ?? (await freePort());
  let output = '';
  // A lower open-files limit (soft and hard, as a container may impose) through the shell.
  const limit = options.fileDescriptorLimit;
  const [command, args] =
    limit === undefined
      ? [process.execPath, [MAIN]]
      : ['/bin/sh', ['-c', `ulimit -n ${limit} && exec "$0" "$1"`, process.execPath, MAIN]];
  const child = spawn(command, args, {
    env: {
      PATH: process.env.PATH ?? '',
      LOG_LEVEL: 'warn',
      HOST: '127.0.0.1',
      ...env,
      PORT: String(chosenPort),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | string>((resolve) =>
    child.once('exit', (code, signal) => resolve(code ?? signal ?? 'unknown')),
  );
  const server: ServerProcess = {
    port: chosenPort,
    baseUrl: `http://127.0.0.1:${chosenPort}`,
    wsUrl: `ws://127.0.0.1:${chosenPort}/ws`,
    child,
    output: () => output,
    exited,
    async kill(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
  await waitUntilListening(server);
  return server;
}

/**
 * kill -9, as a crash or a power cut would (no shutdown hooks run), then the server again on the
 * same port and `env` (its data) once the old process is gone.
 */
export async function crashAndRestart(
  server: ServerProcess,
  env: Record<string, string>,
): Promise<ServerProcess> {
  await server.kill('SIGKILL');
  return startServerProcess(env, server.port);
}

// Generous: on a CI machine under load (2 cores, load 10+) a restart once took longer than 15 s;
// a server that fails to start exits, and that is reported at once.
async function waitUntilListening(server: ServerProcess, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let exitedEarly = false;
  void server.exited.then(() => (exitedEarly = true));
  while (Date.now() < deadline) {
    if (exitedEarly) throw new Error(`server exited during start-up:\n${server.output()}`);
    const ok = await new Promise<boolean>((resolve) => {
      const socket = net.connect({ host: '127.0.0.1', port: server.port });
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  await server.kill('SIGKILL');
  throw new Error(`server did not listen within ${timeoutMs} ms:\n${server.output()}`);
}
