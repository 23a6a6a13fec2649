import { afterAll, beforeAll, expect, it } from '@jest/globals';
import type { Page } from 'playwright-core';
import { register } from '../utils/accounts.js';
import {
  browserAvailability,
  clickNotification,
  notificationsOf,
  recordNotifications,
  sendMessage,
  setPageHidden,
  signInAsGuest,
} from '../utils/browser.js';
import { browserAndApp } from '../utils/browser-and-server.js';
import { describeWithService } from '../utils/services.js';
import { closeAll, TestClient } from '../utils/test-client.js';

const permission = (page: Page) =>
  page.evaluate(
    () => (globalThis as unknown as { Notification: { permission: string } }).Notification.permission,
  );

describeWithService('in the browser: desktop notifications', browserAvailability(), () => {
  const app = browserAndApp();
  let owner: TestClient;
  let max: TestClient;

  beforeAll(async () => {
    const { token } = await register(app.server.baseUrl, 'newsdesk');
    owner = await TestClient.joined(app.server.wsUrl, 'news', { token });
    max = await TestClient.joined(app.server.wsUrl, 'general', { name: 'Max' });
    max.send('join', { room: 'news' });
    await max.next('joined', (data) => data.room === 'news');
  });
  afterAll(async () => {
    await closeAll([owner, max]);
  });

  async function post(room: string, text: string): Promise<void> {
    max.send('send', { room, text, clientId: crypto.randomUUID() });
    await max.next('ack');
  }

  it('should offer notifications without asking on load, and remember "Not now"', async () => {
    const page = await app.newPage();
    await signInAsGuest(page, app.server.baseUrl, 'Noa');
    const offer = page.getByRole('region', { name: 'Desktop notifications' });
    await offer.getByRole('button', { name: 'Enable notifications' }).waitFor();
    // Headless Chromium answers an unprompted request with "denied": "default" means none was made.
    await expect(permission(page)).resolves.toBe('default');

    await offer.getByRole('button', { name: 'Not now' }).click();
    await offer.waitFor({ state: 'detached' });
    await page.reload();
    await page.locator('.connection--open').waitFor();
    await expect(offer.count()).resolves.toBe(0);
    await page.context().close();
  });

  it('should notify for others’ messages while the tab is hidden, and bring up their room on click', async () => {
    const context = await app.browser.newContext();
    await recordNotifications(context);
    const page = await context.newPage();
    await signInAsGuest(page, app.server.baseUrl, 'Nia');
    await page.getByLabel('Join a room').fill('news');
    await page.getByLabel('Join a room').press('Enter');
    await page.getByRole('heading', { name: '# news' }).waitFor();
    await page.getByRole('button', { name: '# general' }).click();

    // The user says yes (the grant stands in for their click on the browser's prompt).
    await context.grantPermissions(['notifications'], { origin: app.server.baseUrl });
    await page.getByRole('button', { name: 'Enable notifications' }).click();
    await page.getByRole('region', { name: 'Desktop notifications' }).waitFor({ state: 'detached' });
    await expect(permission(page)).resolves.toBe('granted');

    // While the tab is in view: nothing.
    await post('general', 'while you watch');
    await page.getByText('while you watch').waitFor();
    await expect(notificationsOf(page)).resolves.toEqual([]);

    // In the background: not for the user's own words, but for Max's in another room.
    await setPageHidden(page, true);
    await sendMessage(page, 'my own words');
    await page.locator('.message:not(.message--sending)', { hasText: 'my own words' }).waitFor();
    await post('news', 'breaking news');
    await page.waitForFunction(
      () => (globalThis as unknown as { __notifications: unknown[] }).__notifications.length > 0,
    );
    await expect(notificationsOf(page)).resolves.toEqual([
      { title: 'Max (guest) in #news', body: 'breaking news', tag: 'chat-room-news', closed: false },
    ]);
    await expect(page.title()).resolves.toBe('(1) Chat');

    // Clicking it opens its room and closes it (it also calls window.focus(), which headless
    // Chromium gives nothing to observe by).
    await clickNotification(page, 0);
    await page.getByRole('heading', { name: '# news' }).waitFor();
    await expect(notificationsOf(page)).resolves.toMatchObject([{ closed: true }]);
    // Back in view, the room is read (the read marker moves): the count goes.
    await setPageHidden(page, false);
    await page.waitForFunction(
      () => (globalThis as unknown as { document: { title: string } }).document.title === 'Chat',
    );
    await context.close();
  });
});
