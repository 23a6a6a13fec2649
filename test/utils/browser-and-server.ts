import { afterAll, beforeAll } from '@jest/globals';
import type { Browser, BrowserContextOptions, Page } from 'playwright-core';
import { launchBrowser } from './browser.js';
import { startServerProcess, type ServerProcess } from './server-process.js';
import { startApp, type TestApp } from './start-app.js';
import { createTempDir } from './temp-dir.js';

export interface BrowserAndServer {
  browser: Browser;
  /** The current server process; replaced by {@link BrowserAndServer.restartServer}. */
  server: ServerProcess;
  /** Starts the server again on `port` with the same data, as after a crash or a deploy. */
  restartServer(port: number): Promise<void>;
  /** A page in a context of its own (its own cookies and storage: one person, one device). */
  newPage(options?: BrowserContextOptions): Promise<Page>;
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
    newPage: (options?: BrowserContextOptions) => pageOfItsOwn(fixture.browser, options),
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

export interface BrowserAndApp {
  browser: Browser;
  server: TestApp;
  /** A page in a context of its own (its own cookies and storage: one person, one device). */
  newPage(options?: BrowserContextOptions): Promise<Page>;
}

/**
 * For browser suites against the app in this process (`startApp(env)`): registers beforeAll and
 * afterAll that launch Chromium and the app, and close both. Register a suite's own set-up after
 * this call (it runs once the app is up). Read `browser` and `server` inside tests.
 */
export function browserAndApp(env: Record<string, string> = {}): BrowserAndApp {
  const fixture = {
    newPage: (options?: BrowserContextOptions) => pageOfItsOwn(fixture.browser, options),
  } as BrowserAndApp;

  beforeAll(async () => {
    fixture.browser = await launchBrowser();
    fixture.server = await startApp(env);
  });
  afterAll(async () => {
    await fixture.browser?.close();
    await fixture.server?.close();
  });
  return fixture;
}

async function pageOfItsOwn(browser: Browser, options: BrowserContextOptions = {}): Promise<Page> {
  return (await browser.newContext(options)).newPage();
}
