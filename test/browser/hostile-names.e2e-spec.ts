import { expect, it } from '@jest/globals';
import type { Page } from 'playwright-core';
import {
  browserAvailability,
  messageTexts,
  registerAccount,
  sendMessage,
  signInAsGuest,
  watchCspViolations,
} from '../utils/browser.js';
import { browserAndServerProcess } from '../utils/browser-and-server.js';
import { describeWithService } from '../utils/services.js';

/** The part of the page's localStorage used here (the test project compiles without the DOM library). */
interface PageStorage {
  localStorage: { key(i: number): string | null; length: number; setItem(k: string, v: string): void };
}

/** Everything the page printed as an uncaught error (a blank page shows up here first). */
function watchPageErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  return errors;
}

describeWithService(
  'in the browser: rooms and users named like Object.prototype keys',
  browserAvailability(),
  () => {
    const app = browserAndServerProcess();

    it('should let people join a room named constructor and chat in it, also after a reload', async () => {
      const alice = await app.newPage();
      const guest = await app.newPage();
      const problems = [alice, guest].flatMap((page) => [watchPageErrors(page), watchCspViolations(page)]);

      await registerAccount(alice, app.server.baseUrl, 'alice', 'wonderland');
      await alice.getByLabel('Join or create a room').fill('constructor');
      await alice.getByRole('button', { name: 'Go' }).click();
      await alice.getByRole('heading', { name: '# constructor' }).waitFor();

      // A guest named `__proto__` joins it: a user id or name is no key into an object either.
      await signInAsGuest(guest, app.server.baseUrl, '__proto__');
      await guest.getByLabel('Join a room').fill('constructor');
      await guest.getByRole('button', { name: 'Join' }).click();
      await guest.getByRole('heading', { name: '# constructor' }).waitFor();
      await alice.locator('.presence').getByText('__proto__').waitFor();

      await sendMessage(alice, 'hello from alice');
      await guest.getByText('hello from alice').waitFor();
      await sendMessage(guest, 'hello from the guest');
      await alice.getByText('hello from the guest').waitFor();
      await expect(messageTexts(alice)).resolves.toEqual(['hello from alice', 'hello from the guest']);

      // Unread counts in a room of that name, while another room is on screen.
      await alice.getByRole('button', { name: '# general' }).click();
      await sendMessage(guest, 'are you there?');
      await alice.getByRole('button', { name: /# constructor\s*1/ }).waitFor();

      // The room is remembered (localStorage) and restored on a reload.
      await alice.reload();
      await alice.locator('.connection--open').waitFor();
      await alice.getByRole('button', { name: '# constructor' }).click();
      await alice.getByText('are you there?').waitFor();
      await expect(messageTexts(alice)).resolves.toEqual([
        'hello from alice',
        'hello from the guest',
        'are you there?',
      ]);
      expect(problems.flat()).toEqual([]);
    }, 60_000);

    // Joins the room the test above created (guests cannot create rooms).
    it('should refuse a room named __proto__ with a message, and keep the page working', async () => {
      const page = await app.newPage();
      const errors = watchPageErrors(page);
      await signInAsGuest(page, app.server.baseUrl, 'constructor');
      await page.getByLabel('Join a room').fill('__proto__');
      await page.getByRole('button', { name: 'Join' }).click();
      await expect(page.getByRole('alert').innerText()).resolves.toContain('room names are');
      await page.getByLabel('Join a room').fill('constructor');
      await page.getByRole('button', { name: 'Join' }).click();
      await page.getByRole('heading', { name: '# constructor' }).waitFor();

      // Planted in localStorage (another tab, an older version): dropped on load, page still up;
      // the rooms shown are the server's list of this user's rooms.
      await page.evaluate(() => {
        const { localStorage: storage } = globalThis as unknown as PageStorage;
        for (let i = 0; i < storage.length; i++) {
          const key = storage.key(i);
          if (key?.startsWith('chat.rooms.'))
            storage.setItem(key, JSON.stringify(['general', '__proto__', 'constructor']));
        }
      });
      await page.reload();
      await page.locator('.connection--open').waitFor();
      await page.getByRole('button', { name: '# constructor' }).waitFor();
      await sendMessage(page, 'still here');
      await page
        .locator('.message:not(.message--sending) .message__text', { hasText: 'still here' })
        .waitFor();
      await expect(page.getByRole('button', { name: '# __proto__' }).count()).resolves.toBe(0);
      expect(errors).toEqual([]);
    }, 60_000);

    // In a text only: the server may refuse such names (the unit tests cover names on screen).
    it('should show a right-to-left override in a text as written, not reversed', async () => {
      const viewer = await app.newPage();
      const mallory = await app.newPage();
      await signInAsGuest(viewer, app.server.baseUrl, 'Viewer');
      await signInAsGuest(mallory, app.server.baseUrl, 'Mallory');
      await sendMessage(mallory, 'open \u202Efdp.exe');
      const line = viewer.locator('.message', { hasText: 'fdp.exe' });
      await line.waitFor();
      await expect(line.locator('.message__text').innerText()).resolves.toBe('open fdp.exe');
      await expect(line.locator('.message__text').getAttribute('dir')).resolves.toBe('auto');
    }, 60_000);
  },
);
