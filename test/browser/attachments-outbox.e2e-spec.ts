import { expect, it } from '@jest/globals';
import type { BrowserContext } from 'playwright-core';
import { browserAvailability, registerAccount } from '../utils/browser.js';
import { browserAndServerProcess } from '../utils/browser-and-server.js';
import { describeWithService } from '../utils/services.js';

interface StoredMessage {
  text: string;
  clientId?: string;
  attachments?: { name: string; size: number }[];
}

/**
 * An offline browser cannot load the page again on its own (the app has no service worker), so
 * while it is offline the test hands it the app's files as a cache would: fetched by the test
 * process from the server. Everything else (the API, the WebSocket) stays unreachable.
 */
async function serveAppFromCache(context: BrowserContext, baseUrl: string): Promise<void> {
  await context.route(
    (url) => url.href.startsWith(baseUrl) && !url.pathname.startsWith('/api/') && url.pathname !== '/ws',
    async (route) => {
      const response = await fetch(route.request().url());
      await route.fulfill({
        status: response.status,
        // fetch has already decoded the body: its encoding and length headers no longer fit.
        headers: Object.fromEntries(
          [...response.headers].filter(([name]) => name !== 'content-encoding' && name !== 'content-length'),
        ),
        body: Buffer.from(await response.arrayBuffer()),
      });
    },
  );
}

/**
 * Runs in the page: how many messages wait for their files in IndexedDB (see the web app's
 * waiting-store.ts). A string, because test/ is compiled without the DOM library.
 */
const STORED_SENDS = `() => new Promise((resolve, reject) => {
  const open = indexedDB.open('chat.waiting-sends', 1);
  open.onerror = () => reject(open.error);
  open.onsuccess = () => {
    const count = open.result.transaction('sends').objectStore('sends').count();
    count.onsuccess = () => resolve(count.result);
    count.onerror = () => reject(count.error);
  };
})`;

describeWithService('in the browser: a message with files in the outbox', browserAvailability(), () => {
  // A page handed over by the test (serveAppFromCache) has no address Chromium knows, so its
  // local network access checks would keep it from the server on 127.0.0.1 once it is online.
  const app = browserAndServerProcess({ browserArgs: ['--disable-features=LocalNetworkAccessChecks'] });

  it('should keep a message with a file composed offline across a reload, then send it once with its file', async () => {
    const context = await app.browser.newContext();
    const page = await context.newPage();
    await registerAccount(page, app.server.baseUrl, 'reloading-rosa', 'wonderland');
    await serveAppFromCache(context, app.server.baseUrl);

    await context.setOffline(true);
    await page.locator('.connection--offline').waitFor();
    await page.locator('input[type=file]').setInputFiles({
      name: 'notes.txt',
      mimeType: 'text/plain',
      buffer: Buffer.from('written on the train'),
    });
    await page.getByRole('list', { name: 'Files to send' }).getByText('Waiting for the network…').waitFor();
    await page.locator('#message').fill('from the train');
    await page.locator('#message').press('Enter');
    const waiting = page
      .getByRole('status')
      .filter({ hasText: /Sends when its file is uploaded: “from the train”/ });
    await waiting.waitFor();

    // Still offline: the page comes back with the message waiting, its file in its tray.
    await page.reload();
    await page.locator('.connection--offline').waitFor();
    await waiting.waitFor();
    await waiting
      .getByRole('list', { name: 'Files of a message waiting to be sent' })
      .getByText('notes.txt')
      .waitFor();

    await context.setOffline(false);
    const card = page.getByRole('link', { name: /^Download notes\.txt 20 B · Text$/ });
    await card.waitFor();
    await page.locator('.message:not(.message--sending)', { hasText: 'from the train' }).waitFor();
    await expect(waiting.count()).resolves.toBe(0);

    // Stored once, with its file, as the server tells anyone who asks.
    const history = await page.request.get(`${app.server.baseUrl}/api/rooms/general/messages`);
    expect(history.status()).toBe(200);
    const { messages } = (await history.json()) as { messages: StoredMessage[] };
    const sent = messages.filter((m) => m.text === 'from the train');
    expect(sent.map((m) => m.attachments?.map((a) => [a.name, a.size]))).toEqual([[['notes.txt', 20]]]);
    const served = await page.request.get(
      new URL((await card.getAttribute('href'))!, app.server.baseUrl).href,
    );
    expect(await served.text()).toBe('written on the train');

    // Nothing of it is kept any more: a second reload shows the message once, and nothing waiting.
    await page.waitForFunction(`(${STORED_SENDS})().then((count) => count === 0)`);
    await page.reload();
    await page.locator('.connection--open').waitFor();
    await page.locator('.message', { hasText: 'from the train' }).waitFor();
    await expect(page.locator('.message', { hasText: 'from the train' }).count()).resolves.toBe(1);
    await expect(page.getByText(/Sends when its file/).count()).resolves.toBe(0);
    await expect(page.locator('.message--sending').count()).resolves.toBe(0);
    await expect(page.evaluate(`(${STORED_SENDS})()`)).resolves.toBe(0);
  }, 90_000);

  it('should keep a message waiting for its file across a room switch, and send it in its own room', async () => {
    const context = await app.browser.newContext();
    const page = await context.newPage();
    await registerAccount(page, app.server.baseUrl, 'switching-sam', 'wonderland');
    const created = await page.request.post(`${app.server.baseUrl}/api/rooms`, {
      data: { name: 'side', kind: 'public' },
    });
    expect(created.status()).toBe(201);
    await page.getByLabel('Join or create a room').fill('side');
    await page.getByRole('button', { name: 'Go' }).click();
    await page.getByRole('heading', { name: /side/ }).waitFor();
    const entry = (room: string) => page.locator('.room__button', { hasText: room });
    await entry('general').click();
    await page.getByRole('heading', { name: /general/ }).waitFor();

    await context.setOffline(true);
    await page.locator('.connection--offline').waitFor();
    await page.locator('input[type=file]').setInputFiles({
      name: 'plan.txt',
      mimeType: 'text/plain',
      buffer: Buffer.from('the plan'),
    });
    await page.locator('#message').fill('the plan, attached');
    await page.locator('#message').press('Enter');
    const waiting = page
      .getByRole('status')
      .filter({ hasText: /Sends when its file is uploaded: “the plan, attached”/ });
    await waiting.waitFor();

    // Not in the other room's composer; back in its own when one returns.
    await entry('side').click();
    await page.getByRole('heading', { name: /side/ }).waitFor();
    await expect(waiting.count()).resolves.toBe(0);
    await entry('general').click();
    await page.getByRole('heading', { name: /general/ }).waitFor();
    await waiting.getByText('plan.txt').waitFor();

    await context.setOffline(false);
    await page.getByRole('link', { name: /^Download plan\.txt 8 B · Text$/ }).waitFor();
    await expect(waiting.count()).resolves.toBe(0);
    // Once, in the room it was written in (the suite's other test writes in general too).
    const sentIn = async (room: string) => {
      const history = await page.request.get(`${app.server.baseUrl}/api/rooms/${room}/messages`);
      expect(history.status()).toBe(200);
      return ((await history.json()) as { messages: StoredMessage[] }).messages
        .filter((m) => m.text === 'the plan, attached')
        .map((m) => m.attachments?.map((a) => a.name));
    };
    await expect(sentIn('general')).resolves.toEqual([['plan.txt']]);
    await expect(sentIn('side')).resolves.toEqual([]);
  }, 90_000);

  it('should forget a discarded message and its file, also after a reload', async () => {
    const context = await app.browser.newContext();
    const page = await context.newPage();
    await registerAccount(page, app.server.baseUrl, 'discarding-dora', 'wonderland');
    await serveAppFromCache(context, app.server.baseUrl);
    await context.setOffline(true);
    await page.locator('.connection--offline').waitFor();
    await page.locator('input[type=file]').setInputFiles({
      name: 'draft.txt',
      mimeType: 'text/plain',
      buffer: Buffer.from('second thoughts'),
    });
    await page.locator('#message').fill('never mind');
    await page.locator('#message').press('Enter');
    const waiting = page
      .getByRole('status')
      .filter({ hasText: /Sends when its file is uploaded: “never mind”/ });
    await waiting.getByRole('button', { name: 'Discard' }).click();
    await waiting.waitFor({ state: 'detached' });
    // Gone from IndexedDB too (the browser's own record, read in the page).
    await page.waitForFunction(`(${STORED_SENDS})().then((count) => count === 0)`);

    await page.reload();
    await page.locator('.connection--offline').waitFor();
    await expect(page.evaluate(`(${STORED_SENDS})()`)).resolves.toBe(0);
    await expect(page.getByText(/Sends when its file/).count()).resolves.toBe(0);
  }, 90_000);
});
