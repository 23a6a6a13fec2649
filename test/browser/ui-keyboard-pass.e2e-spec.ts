import { afterAll, beforeAll, expect, it } from '@jest/globals';
import type { Page } from 'playwright-core';
import { browserAvailability, logIn, pressUntilFocused } from '../utils/browser.js';
import { messageOf } from '../utils/browser-room.js';
import { browserAndApp } from '../utils/browser-and-server.js';
import { describeWithService } from '../utils/services.js';
import { seedShowcase, TEST_PASSWORD, type Showcase } from '../utils/showcase.js';
import { NO_RATE_LIMITS } from '../utils/start-app.js';

/** Whether the focused element matches `selector`. */
const focusIs = (page: Page, selector: string) =>
  page.evaluate((s) => {
    const { document } = globalThis as unknown as {
      document: { activeElement: { matches(s: string): boolean } | null };
    };
    return document.activeElement?.matches(s) ?? false;
  }, selector);

/** The text of the focused message (its own text, not its toolbar's). */
const focusedText = (page: Page) =>
  page.evaluate(() => {
    const { document } = globalThis as unknown as {
      document: { activeElement: { querySelector(s: string): { textContent: string | null } | null } | null };
    };
    return document.activeElement?.querySelector('.message__text')?.textContent ?? '';
  });

/** Waits until the focused message's own text contains `text`. */
const untilFocusedOn = async (page: Page, text: string) => {
  for (let tries = 0; tries < 50; tries++) {
    if ((await focusedText(page)).includes(text)) return;
    await page.waitForTimeout(20);
  }
  throw new Error(`focus never came to the message "${text}"; it is on "${await focusedText(page)}"`);
};

/** Types into whatever has focus, then Enter. */
const typeAndEnter = async (page: Page, text: string) => {
  await page.keyboard.type(text);
  await page.keyboard.press('Enter');
};

/**
 * One keyboard-only pass through every action of the app, no mouse: the offer, the rooms, the
 * conversation (arrow keys between messages; R reply, E edit, + react, T thread, Delete), the
 * thread, the directory, a DM, a command's toast, and signing out.
 */
describeWithService('in the browser: every action by keyboard alone', browserAvailability(), () => {
  const app = browserAndApp(NO_RATE_LIMITS);
  let showcase: Showcase;

  beforeAll(async () => {
    showcase = await seedShowcase(app.server.baseUrl, app.server.wsUrl);
  });
  afterAll(async () => {
    await showcase?.close();
  });

  it('should reach and do every action with Tab, Enter, Escape and the arrow keys', async () => {
    const page = await app.newPage({ viewport: { width: 1280, height: 800 } });
    await logIn(page, app.server.baseUrl, showcase.reader, TEST_PASSWORD);

    // The notifications offer, answered from the keyboard.
    await pressUntilFocused(page, 'Tab', '.offer button.button--quiet');
    await page.keyboard.press('Enter');
    await page.locator('.offer').waitFor({ state: 'detached' });

    // A room, from the sidebar.
    await pressUntilFocused(page, 'Shift+Tab', '.room__button[data-title="# design"]', 60);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: '# design' }).waitFor();
    await page.locator('.message__text', { hasText: 'Ship it' }).waitFor();

    // Into the conversation: the list is one tab stop, the arrow keys move between messages.
    await pressUntilFocused(page, 'Tab', '#messages');
    await page.keyboard.press('ArrowUp');
    await expect(focusedText(page)).resolves.toContain('Ship it');

    // R: reply, quoted; focus goes to the composer.
    await page.keyboard.press('r');
    await page.getByText('Replying to').waitFor();
    await expect(focusIs(page, '#message')).resolves.toBe(true);
    await typeAndEnter(page, 'On it, Friday works');
    const reply = messageOf(page, 'On it, Friday works');
    await reply.locator('.reply-quote').waitFor();
    await page.locator('.message--sending').waitFor({ state: 'detached' });

    // E: edit your own message (Up from the list's end), Enter saves.
    await pressUntilFocused(page, 'Shift+Tab', '#messages');
    await page.keyboard.press('End');
    await untilFocusedOn(page, 'On it, Friday works');
    await page.keyboard.press('e');
    await page.keyboard.press('End');
    await typeAndEnter(page, '!');
    await messageOf(page, 'On it, Friday works!').getByText('(edited)').waitFor();

    // +: react, with the picker's arrow keys and Enter.
    await pressUntilFocused(page, 'Shift+Tab', '#messages');
    await page.keyboard.press('End');
    await untilFocusedOn(page, 'On it, Friday works!');
    await page.keyboard.press('+');
    await page.getByRole('group', { name: 'Pick a reaction' }).waitFor();
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('Enter');
    await messageOf(page, 'On it, Friday works!').locator('.reactions button[aria-pressed="true"]').waitFor();

    // T: the thread, a reply in it, Escape back to the room.
    await pressUntilFocused(page, 'Shift+Tab', '#messages');
    await page.keyboard.press('Home');
    await untilFocusedOn(page, 'Morning all');
    await page.keyboard.press('t');
    const thread = page.getByRole('complementary', { name: 'Thread' });
    await thread.getByText('after lunch').waitFor();
    // The thread's composer has focus already, or is a few Tabs away.
    if (!(await focusIs(page, '#thread-message')))
      await pressUntilFocused(page, 'Tab', '#thread-message', 60);
    await typeAndEnter(page, 'Thread reply by keyboard');
    await thread.locator('.message__text', { hasText: 'Thread reply by keyboard' }).waitFor();
    await page.keyboard.press('Escape');
    await thread.waitFor({ state: 'detached' });

    // Delete: your own message, confirmed in place.
    await pressUntilFocused(page, 'Tab', '#messages');
    await page.keyboard.press('End');
    await untilFocusedOn(page, 'On it, Friday works!');
    await page.keyboard.press('Delete');
    await page.keyboard.press('Enter');
    await page.getByText('This message was deleted').waitFor();

    // A command's answer is a toast; its Dismiss is reachable and works.
    await pressUntilFocused(page, 'Tab', '#message');
    await typeAndEnter(page, '/help');
    await page.locator('.toasts [role="status"] .toast').waitFor();
    await pressUntilFocused(page, 'Tab', '.toast button');
    await page.keyboard.press('Enter');
    await page.locator('.toasts .toast').waitFor({ state: 'detached' });

    // The directory: opened, looked through, closed with Escape (focus back on its opener).
    await pressUntilFocused(page, 'Shift+Tab', '.rooms__browse', 60);
    await page.keyboard.press('Enter');
    await page.getByRole('dialog').waitFor();
    await page.keyboard.press('Escape');
    await page.getByRole('dialog').waitFor({ state: 'detached' });
    await expect(focusIs(page, '.rooms__browse')).resolves.toBe(true);

    // A DM, from the sidebar, and a message in it.
    await pressUntilFocused(page, 'Tab', `.room__button[data-title="${showcase.dmWith}"]`);
    await page.keyboard.press('Enter');
    await page.locator('.message__text', { hasText: 'pricing page' }).waitFor();
    await pressUntilFocused(page, 'Tab', '#message', 60);
    await typeAndEnter(page, 'Yes, after lunch');
    await page
      .locator('.message:not(.message--sending) .message__text', { hasText: 'Yes, after lunch' })
      .waitFor();

    // A new room, from the sidebar's "+", named and created without the mouse; then its invite
    // dialog, opened and closed.
    await pressUntilFocused(page, 'Shift+Tab', 'button[aria-label="Create a room"]', 80);
    await page.keyboard.press('Enter');
    await page.getByRole('dialog', { name: 'Create a room' }).waitFor();
    await page.keyboard.type('kb-made');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: '# kb-made' }).waitFor();
    await pressUntilFocused(page, 'Tab', '.room-header__invite', 80);
    await page.keyboard.press('Enter');
    await page.getByRole('dialog').waitFor();
    await page.keyboard.press('Escape');
    await page.getByRole('dialog').waitFor({ state: 'detached' });

    // Signing out.
    await pressUntilFocused(page, 'Shift+Tab', '.app__sign-out', 80);
    await page.keyboard.press('Enter');
    await page.getByLabel('Your name').waitFor();
    await page.context().close();
  }, 90_000);
});
