import { execFileSync, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { freePort } from './free-port.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const MAIN = fileURLToPath(new URL('../../examples/host-app/dist/main.js', import.meta.url));

export interface HostAppProcess {
  baseUrl: string;
  wsUrl: string;
  stop(): Promise<void>;
}

/**
 * Builds the example as its README says (`npx tsc -b examples/host-app`, over the built chat)
 * and runs `node examples/host-app/dist/main.js` as a process of its own: the jsdom suite renders
 * the page in its window, where a whole Nest server cannot run (jsdom's globals are not Node's).
 */
export async function startHostAppProcess(dataDir: string): Promise<HostAppProcess> {
  execFileSync(
    process.execPath,
    [fileURLToPath(new URL('node_modules/typescript/bin/tsc', `file://${ROOT}`)), '-b', 'examples/host-app'],
    {
      cwd: ROOT,
    },
  );
  const port = await freePort();
  const child = spawn(process.execPath, [MAIN], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', PORT: String(port), DATA_DIR: dataDir },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the host app did not start:\n${output}`)), 20_000);
    const listen = (chunk: Buffer) => {
      output += chunk.toString();
      // main.ts says so once it listens.
      if (output.includes('host app on')) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout.on('data', listen);
    child.stderr.on('data', listen);
    void exited.then(() => reject(new Error(`the host app exited:\n${output}`)));
  });
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    wsUrl: `ws://127.0.0.1:${port}/ws`,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
