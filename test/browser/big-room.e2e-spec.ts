import { afterAll, beforeAll, expect, it } from '@jest/globals';
import type { Browser } from 'playwright-core';
import { browserAvailability, launchBrowser, screenshot, signInAsGuest } from '../utils/browser.js';
import { startServerProcess, type ServerProcess } from '../utils/server-process.js';
import { describeWithService } from '../utils/services.js';
import { createTempDir } from '../utils/temp-dir.js';
import { closeAll, TestClient } from '../utils/test-client.js';

/** Guests in `general` besides the browser's; over the (lowered) threshold many times. */
const CROWD = 240;

describeWithService('in the browser: a big room', browserAvailability(), () => {
  const dataDir = createTempDir();
  let browser: Browser;
  let server: ServerProcess;
  const crowd: TestClient[] = [];

  beforeAll(async () => {
    browser = await launchBrowser();
    // A low threshold keeps the test fast: 20 online already make a room big.
    server = await startServerProcess({
      DATA_DIR: dataDir.path,
      PRESENCE_LIST_MAX: '20',
      MAX_CONNECTIONS_PER_IP: '0',
    });
    let next = 0;
    const worker = async () => {
      while (next < CROWD) {
        const i = next++;
        const client = await TestClient.connect(server.wsUrl, {
          name: `crowd-${String(i).padStart(3, '0')}`,
        });
        crowd.push(client);
        await client.next('welcome');
        client.send('join', { room: 'general' });
        await client.next('joined', undefined, 10_000);
      }
    };
    await Promise.all(Array.from({ length: 20 }, worker));
  }, 60_000);
  afterAll(async () => {
    await closeAll(crowd);
    await browser?.close();
    await server?.kill('SIGKILL');
    dataDir.remove();
  });

  it('should show how many are online, and the list a page at a time and by search on demand', async () => {
    const page = await (await browser.newContext({ viewport: { width: 1200, height: 900 } })).newPage();
    await signInAsGuest(page, server.baseUrl, 'Watcher');
    const presence = page.getByRole('region', { name: 'Online in this room' });
    await presence.getByRole('heading', { name: `${CROWD + 1} online` }).waitFor();
    // A count, not a list of everyone.
    await expect(presence.locator('li').count()).resolves.toBe(0);

    await presence.getByRole('button', { name: 'Show who is online' }).click();
    await presence.locator('li').nth(49).waitFor();
    await expect(presence.locator('li').count()).resolves.toBe(50);
    // Ordered by name: the crowd's zero-padded names first, then Watcher.
    await expect(presence.locator('li').first().innerText()).resolves.toContain('crowd-000');
    await presence.getByRole('button', { name: 'Show more' }).click();
    await presence.locator('li').nth(99).waitFor();
    await expect(presence.locator('li').nth(99).innerText()).resolves.toContain('crowd-099');

    await presence.getByRole('searchbox', { name: 'Search people online' }).fill('crowd-12');
    await presence.locator('li', { hasText: 'crowd-129' }).waitFor();
    await expect(presence.locator('li').allInnerTexts()).resolves.toHaveLength(10);
    await presence.getByRole('searchbox', { name: 'Search people online' }).fill('watch');
    await presence.locator('li', { hasText: 'Watcher' }).waitFor();
    await expect(presence.locator('li', { hasText: 'Watcher' }).innerText()).resolves.toContain('(you)');
    await screenshot(page, 'big-room-presence');

    // The count follows people leaving (coalesced: within a few seconds).
    await closeAll(crowd.splice(0, 40));
    await presence.getByRole('heading', { name: `${CROWD - 40 + 1} online` }).waitFor({ timeout: 8000 });
  });
});
