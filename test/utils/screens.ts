import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { ARTIFACTS_DIR } from './browser.js';

/** Where screenshots of the app's screens go (gitignored with the rest of test-artifacts). */
export const SCREENSHOTS_DIR = join(ARTIFACTS_DIR, 'screenshots');

/** The viewport as a person sees it (not the full scroll height: the app scrolls inside). */
export async function saveScreen(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOTS_DIR, { recursive: true });
  const path = join(SCREENSHOTS_DIR, `${name}.png`);
  // Animations (the skeleton's pulse) stopped, so two runs of a screen look the same.
  await page.screenshot({ path, animations: 'disabled' });
  return path;
}

/**
 * Holds back every `joined` frame the server sends this page: its rooms stay "loading" for as
 * long as the test looks (the rest of the protocol passes through untouched).
 */
export async function holdJoins(page: Page): Promise<void> {
  await page.routeWebSocket(/\/ws/, (ws) => {
    const server = ws.connectToServer();
    ws.onMessage((message) => server.send(message));
    server.onMessage((message) => {
      if (typeof message === 'string' && message.startsWith('{"event":"joined"')) return;
      ws.send(message);
    });
  });
}

export interface SocketSwitch {
  /** Closes the page's WebSocket and refuses new ones, as a network that went away. */
  cut(): Promise<void>;
  /** Lets the page connect again. */
  restore(): void;
}

/**
 * Puts the page's WebSocket behind a switch, before the page loads. Headless Chromium's offline
 * emulation leaves an open WebSocket alone; this is what a dropped network does to one.
 */
export async function socketSwitch(page: Page): Promise<SocketSwitch> {
  let cut = false;
  const open = new Set<{ close(options?: { code?: number; reason?: string }): Promise<void> }>();
  await page.routeWebSocket(/\/ws/, (ws) => {
    if (cut) {
      void ws.close({ code: 1001, reason: 'network down' });
      return;
    }
    const server = ws.connectToServer();
    ws.onMessage((message) => server.send(message));
    server.onMessage((message) => ws.send(message));
    open.add(ws);
    ws.onClose(() => open.delete(ws));
  });
  return {
    async cut() {
      cut = true;
      await Promise.all([...open].map((ws) => ws.close({ code: 1001, reason: 'network down' })));
    },
    restore() {
      cut = false;
    },
  };
}
