import type { Page } from 'playwright-core';

/** A message of the main list, by a piece of its own text (not of a quote in it). */
export const messageOf = (page: Page, text: string) =>
  page
    .locator('#messages li.message')
    .filter({ has: page.locator('.message__text, .message__deleted', { hasText: text }) });

/**
 * A message the server has acknowledged (not sending, not failed): only those can be edited or
 * deleted, so wait for this before pressing the keys that do it.
 */
export const acknowledged = (page: Page, text: string) =>
  messageOf(page, text).and(page.locator('.message:not(.message--sending):not(.message--failed)'));

/** The sidebar entry of a room or DM (its button, whose name carries the badges). */
export const sidebarEntry = (page: Page, name: string | RegExp) =>
  page.getByRole('navigation', { name: 'Rooms and direct messages' }).getByRole('button', { name });

/** The texts of the thread panel's messages (root and replies), as shown. */
export const threadTexts = (page: Page) =>
  page.getByRole('complementary', { name: 'Thread' }).locator('.message__text').allInnerTexts();

/** Joins (or creates) a public room through the sidebar's box and waits until it is open. */
export async function joinRoom(page: Page, room: string): Promise<void> {
  await page.getByLabel('Join or create a room').fill(room);
  await page.getByRole('button', { name: 'Go' }).click();
  await page.getByRole('heading', { name: `# ${room}` }).waitFor();
}
