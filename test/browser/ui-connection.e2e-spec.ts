import { expect, it } from '@jest/globals';
import type { Page } from 'playwright-core';
import { browserAvailability, screenshot, signInAsGuest } from '../utils/browser.js';
import { describeWithService } from '../utils/services.js';
import { browserAndServerProcess } from '../utils/browser-and-server.js';

/** The seconds the banner counts down to the next attempt, or null when it shows no countdown. */
const countdown = async (page: Page): Promise<number | null> => {
  const detail = page.locator('.connection__detail');
  if ((await detail.count()) === 0) return null;
  const match = /Reconnecting in (\d+) s/.exec(await detail.innerText());
  return match ? Number(match[1]) : null;
};

/** Waits until the banner counts down from at least `seconds` (the backoff grows by itself). */
const countdownOfAtLeast = (page: Page, seconds: number) =>
  page.waitForFunction(
    (min) => {
      const { document } = globalThis as unknown as {
        document: { querySelector(s: string): { textContent: string | null } | null };
      };
      const match = /Reconnecting in (\d+) s/.exec(
        document.querySelector('.connection__detail')?.textContent ?? '',
      );
      return match !== null && Number(match[1]) >= min;
    },
    seconds,
    { timeout: 75_000 },
  );

/**
 * Stops the page's clock about now: no timer of the app fires until the test moves it on. The
 * page's time runs on while the request travels, so a time read a moment ago can be past by the
 * time the pause lands (a busy machine made that happen); then the pause is asked again.
 */
async function pauseClock(page: Page): Promise<void> {
  for (let tries = 1; ; tries++) {
    const at = (await page.evaluate(() => Date.now())) + 100;
    try {
      await page.clock.pauseAt(at);
      return;
    } catch (error) {
      if (tries === 5 || !/fast-forward to the past/.test(String(error))) throw error;
    }
  }
}

describeWithService('in the browser: the connection banner', browserAvailability(), () => {
  const app = browserAndServerProcess();

  it('should count down truthfully while the server is away, and reconnect at once on "Retry now"', async () => {
    const page = await app.newPage();
    // The page's clock runs as usual until it is paused below (before any page script runs).
    await page.clock.install();
    await signInAsGuest(page, app.server.baseUrl, 'Rita');
    const status = page.locator('.connection [role="status"]');
    await expect(status.innerText()).resolves.toBe('Connected');
    await expect(page.getByRole('button', { name: 'Retry now' }).count()).resolves.toBe(0);

    const port = app.server.port;
    await app.server.kill('SIGKILL');
    await page.locator('.connection--reconnecting').waitFor();
    await expect(status.innerText()).resolves.toBe('Connection lost');

    // Wait for a long pause between attempts, then see it tick down; the ticking stays out of
    // the live region (the status), which would otherwise be read out every second.
    await countdownOfAtLeast(page, 8);
    const first = (await countdown(page))!;
    await page.waitForFunction((before) => {
      const { document } = globalThis as unknown as {
        document: { querySelector(s: string): { textContent: string | null } | null };
      };
      const match = /in (\d+) s/.exec(document.querySelector('.connection__detail')?.textContent ?? '');
      return match !== null && Number(match[1]) < before;
    }, first);
    await expect(status.innerText()).resolves.not.toMatch(/\d/);

    // The server is back while the app still waits: "Retry now" connects well before the wait ends.
    // The page's clock stands still meanwhile, so however long the restart takes on a busy
    // machine, the app's own attempt cannot come first: the one socket opened after the pause
    // is the button's.
    await pauseClock(page);
    await screenshot(page, 'ui-connection-lost');
    const attempts: string[] = [];
    page.on('websocket', (socket) => attempts.push(socket.url()));
    await app.restartServer(port);
    const left = (await countdown(page))!;
    expect(left).toBeGreaterThanOrEqual(3);
    await page.getByRole('button', { name: 'Retry now' }).click();
    await page.locator('.connection--open').waitFor();
    expect(attempts).toHaveLength(1);
    await expect(status.innerText()).resolves.toBe('Connected');
    await expect(page.getByRole('button', { name: 'Retry now' }).count()).resolves.toBe(0);
    await page.clock.resume();
  }, 120_000);
});
