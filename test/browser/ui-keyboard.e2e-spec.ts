import { afterAll, beforeAll, expect, it } from '@jest/globals';
import type { Page } from 'playwright-core';
import { register } from '../utils/accounts.js';
import { browserAvailability, messageTexts, pressUntilFocused } from '../utils/browser.js';
import { browserAndApp } from '../utils/browser-and-server.js';
import { describeWithService } from '../utils/services.js';
import { closeAll, TestClient } from '../utils/test-client.js';

/** The focused element's id, or its accessible text when it has none. */
const focused = (page: Page) =>
  page.evaluate(() => {
    const { document } = globalThis as unknown as {
      document: { activeElement: { id: string; textContent: string | null } | null };
    };
    return document.activeElement?.id || document.activeElement?.textContent?.trim();
  });

/** The focused element's outline: a keyboard user must see where focus is. */
const focusOutline = (page: Page) =>
  page.evaluate(() => {
    const { document, getComputedStyle } = globalThis as unknown as {
      document: { activeElement: unknown };
      getComputedStyle: (element: unknown) => { outlineStyle: string; outlineWidth: string };
    };
    const style = getComputedStyle(document.activeElement);
    return `${style.outlineStyle} ${style.outlineWidth}`;
  });

describeWithService('in the browser: keyboard only', browserAvailability(), () => {
  const app = browserAndApp();
  let owner: TestClient;

  beforeAll(async () => {
    // Guests join rooms that exist: a registered user makes one.
    const { token } = await register(app.server.baseUrl, 'kbowner');
    owner = await TestClient.joined(app.server.wsUrl, 'keys', { token });
  });
  afterAll(async () => {
    await closeAll([owner]);
  });

  it('should move between the sign-in tabs with the arrow keys, one tab stop for the list', async () => {
    const page = await app.newPage();
    await page.goto(app.server.baseUrl);
    await page.getByLabel('Your name').waitFor();
    await expect(focused(page)).resolves.toBe('guest-name');
    await page.keyboard.press('Shift+Tab');
    await expect(focused(page)).resolves.toBe('tab-guest');
    await expect(focusOutline(page)).resolves.toBe('solid 2px');
    await page.keyboard.press('ArrowRight');
    await expect(focused(page)).resolves.toBe('tab-login');
    await expect(page.getByRole('tab', { name: 'Log in' }).getAttribute('aria-selected')).resolves.toBe(
      'true',
    );
    await page.keyboard.press('End');
    await expect(focused(page)).resolves.toBe('tab-register');
    await page.keyboard.press('ArrowRight'); // wraps around
    await expect(focused(page)).resolves.toBe('tab-guest');
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('Tab');
    await expect(focused(page)).resolves.toBe('username');
    await page.context().close();
  });

  it('should let a keyboard-only user sign in as a guest, join and switch rooms and send messages', async () => {
    const page = await app.newPage();
    await page.goto(app.server.baseUrl);
    await page.getByLabel('Your name').waitFor();
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.type('Kim');
    await page.keyboard.press('Enter');
    await page.locator('.connection--open').waitFor();
    // Signed in, the message field has focus.
    await expect(focused(page)).resolves.toBe('message');

    await pressUntilFocused(page, 'Shift+Tab', '#join-room');
    await page.keyboard.type('keys');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: '# keys' }).waitFor();

    await pressUntilFocused(page, 'Shift+Tab', '.room:first-child .room__button');
    await expect(focusOutline(page)).resolves.toBe('solid 2px');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: '# general' }).waitFor();

    await pressUntilFocused(page, 'Tab', '#message');
    await page.keyboard.type('sent from the keyboard');
    await page.keyboard.press('Enter');
    await page.locator('.message:not(.message--sending)', { hasText: 'sent from the keyboard' }).waitFor();

    // Alt+Down: the next room, from the message field.
    await page.keyboard.press('Alt+ArrowDown');
    await page.getByRole('heading', { name: '# keys' }).waitFor();
    await expect(focused(page)).resolves.toBe('message');
    await page.keyboard.type('and in #keys');
    await page.keyboard.press('Enter');
    await owner.next('message', (m) => m.text === 'and in #keys');
    // The other member has it; the page shows it once its own ack has been rendered.
    await page.locator('.message:not(.message--sending)', { hasText: 'and in #keys' }).waitFor();
    await expect(messageTexts(page)).resolves.toEqual(['and in #keys']);

    // The conversation is reachable for reading (arrow keys scroll it); Escape goes back to writing.
    await page.keyboard.press('Shift+Tab');
    await expect(focused(page)).resolves.toBe('messages');
    await page.keyboard.press('Escape');
    await expect(focused(page)).resolves.toBe('message');
    await page.context().close();
  });
});
