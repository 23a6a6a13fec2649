import { existsSync } from 'node:fs';
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import type { BrowserContextOptions, Page } from 'playwright-core';
import { register } from '../utils/accounts.js';
import {
  axeViolations,
  browserAvailability,
  screenshot,
  seriousOrCritical,
  signInAsGuest,
} from '../utils/browser.js';
import { browserAndApp } from '../utils/browser-and-server.js';
import { describeWithService } from '../utils/services.js';
import { closeAll, TestClient } from '../utils/test-client.js';

const DESKTOP = { viewport: { width: 1280, height: 800 } };
const PHONE = { viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true };

describeWithService(
  'in the browser: the UI on desktop and phone, light and dark',
  browserAvailability(),
  () => {
    const app = browserAndApp();
    let owner: TestClient;

    beforeAll(async () => {
      // A registered user makes room "design" (guests cannot) and starts a conversation.
      const { token } = await register(app.server.baseUrl, 'olivia');
      owner = await TestClient.joined(app.server.wsUrl, 'design', { token });
      owner.send('join', { room: 'general' });
      await owner.next('joined', (data) => data.room === 'general');
      for (const text of [
        'Welcome! The notes are at https://example.com/design/notes (comments welcome).',
        'A long one, to see how text wraps on a narrow screen: ' + 'lorem ipsum dolor sit amet '.repeat(8),
      ]) {
        owner.send('send', { room: 'general', text, clientId: crypto.randomUUID() });
        await owner.next('ack');
      }
    });
    afterAll(async () => {
      await closeAll([owner]);
    });

    // axe is injected as a script, which the app's CSP refuses: only these contexts bypass it.
    const open = async (options: BrowserContextOptions) => app.newPage({ ...options, bypassCSP: true });

    /** Signs in as a guest, joins "design", comes back to "general" and gets a message in "design". */
    async function chatScreen(page: Page, name: string): Promise<void> {
      await signInAsGuest(page, app.server.baseUrl, name);
      await page.getByLabel('Join a room').fill('design');
      await page.getByLabel('Join a room').press('Enter');
      await page.getByRole('heading', { name: '# design' }).waitFor();
      await page.getByRole('button', { name: '# general' }).click();
      await page.getByText('lorem ipsum').first().waitFor();
      owner.send('send', {
        room: 'design',
        text: `Hi ${name}, see you in #design`,
        clientId: crypto.randomUUID(),
      });
      await page.getByRole('button', { name: '# design 1 unread' }).waitFor();
    }

    it('should have no serious or critical axe violations on the sign-in screen, light and dark', async () => {
      for (const colorScheme of ['light', 'dark'] as const) {
        const page = await open({ ...DESKTOP, colorScheme });
        await page.goto(app.server.baseUrl);
        await page.getByLabel('Your name').waitFor();
        expect(seriousOrCritical(await axeViolations(page))).toEqual([]);
        await page.context().close();
      }
    });

    it('should have no serious or critical axe violations on the chat screen, and write desktop screenshots', async () => {
      for (const colorScheme of ['light', 'dark'] as const) {
        const page = await open({ ...DESKTOP, colorScheme });
        await chatScreen(page, colorScheme === 'light' ? 'Ada' : 'Grace');
        expect(seriousOrCritical(await axeViolations(page))).toEqual([]);
        // Desktop: rooms and people are always on screen, no toggle needed.
        await expect(page.getByRole('button', { name: 'Rooms', exact: true }).isVisible()).resolves.toBe(
          false,
        );
        await expect(page.getByRole('navigation', { name: 'Rooms' }).isVisible()).resolves.toBe(true);
        expect(existsSync(await screenshot(page, `ui-desktop-${colorScheme}`))).toBe(true);
        await page.context().close();
      }
    });

    it('should fit a 360 px phone: no sideways scrolling, tabs on one row, rooms behind a toggle', async () => {
      const page = await open(PHONE);
      const overflow = () =>
        page.evaluate(() => {
          const root = (globalThis as unknown as { document: { documentElement: { scrollWidth: number } } })
            .document.documentElement;
          return root.scrollWidth - 360;
        });
      await page.goto(app.server.baseUrl);
      await page.getByRole('tab', { name: 'Create an account' }).waitFor();
      const tabs = await page.getByRole('tab').all();
      expect(tabs).toHaveLength(3);
      const tops = await Promise.all(tabs.map(async (tab) => (await tab.boundingBox())!.y));
      expect(new Set(tops).size).toBe(1);
      await expect(overflow()).resolves.toBeLessThanOrEqual(0);
      expect(existsSync(await screenshot(page, 'ui-phone-sign-in'))).toBe(true);

      await signInAsGuest(page, app.server.baseUrl, 'Katherine-with-a-rather-long-name');
      const rooms = page.getByRole('navigation', { name: 'Rooms' });
      const toggle = page.getByRole('button', { name: 'Rooms', exact: true });
      await expect(rooms.isVisible()).resolves.toBe(false);
      await toggle.click();
      await expect(toggle.getAttribute('aria-expanded')).resolves.toBe('true');
      await rooms.getByLabel('Join a room').fill('design');
      await rooms.getByLabel('Join a room').press('Enter');
      // Joining closes the panel and shows the room.
      await page.getByRole('heading', { name: '# design' }).waitFor();
      await expect(rooms.isVisible()).resolves.toBe(false);

      const send = await page.getByRole('button', { name: 'Send' }).boundingBox();
      expect(send!.x + send!.width).toBeLessThanOrEqual(360);
      expect(send!.y + send!.height).toBeLessThanOrEqual(740);
      await expect(overflow()).resolves.toBeLessThanOrEqual(0);
      expect(seriousOrCritical(await axeViolations(page))).toEqual([]);
      expect(existsSync(await screenshot(page, 'ui-phone'))).toBe(true);
      await toggle.click();
      expect(existsSync(await screenshot(page, 'ui-phone-rooms'))).toBe(true);
    });
  },
);
