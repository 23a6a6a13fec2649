import { afterAll, beforeAll } from '@jest/globals';
import type { Browser } from 'playwright-core';
import { launchBrowser } from './browser.js';
import { startServerProcess, type ServerProcess } from './server-process.js';
import { createTempDir } from './temp-dir.js';

export interface BrowserAndServer {
  browser: Browser;
  /** The current server process; replaced by {@link BrowserAndServer.restartServer}. */
  server: ServerProcess;
  /** Starts the server again on `port` with the same data, as after a crash or a deploy. */
  restartServer(port: number): Promise<void>;
}

/**
 * For browser suites that stop and restart the server: registers beforeAll/afterAll that launch
 * Chromium and a real server process on a data directory of its own, and clean up after.
 * Read `browser` and `server` inside tests (they are set in beforeAll).
 */
export function browserAndServerProcess(options: { browserArgs?: readonly string[] } = {}): BrowserAndServer {
  const dataDir = createTempDir();
  const env = { DATA_DIR: dataDir.path };
  const fixture = {
    async restartServer(port: number) {
      fixture.server = await startServerProcess(env, port);
    },
  } as BrowserAndServer;

  beforeAll(async () => {
    fixture.browser = await launchBrowser(options.browserArgs);
    fixture.server = await startServerProcess(env);
  });
  afterAll(async () => {
    await fixture.browser?.close();
    await fixture.server?.kill('SIGKILL');
    dataDir.remove();
  });
  return fixture;
}
