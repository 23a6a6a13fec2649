import { expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import type { BrowserContextOptions, Page } from 'playwright-core';
import type { User } from '@chat/contracts';
import { DATABASE, type DatabaseHandle } from '../../apps/api/src/storage/database.js';
import { MESSAGE_STORE, type MessageStore } from '../../apps/api/src/storage/message-store.js';
import { ROOM_STORE, type RoomStore } from '../../apps/api/src/storage/room-store.js';
import { TEST_PASSWORD, uniqueUsername } from '../utils/accounts.js';
import { browserAvailability, registerAccount, screenshot, sendMessage } from '../utils/browser.js';
import { browserAndApp } from '../utils/browser-and-server.js';
import { describeWithService } from '../utils/services.js';
import { NO_RATE_LIMITS } from '../utils/start-app.js';

const DESKTOP: BrowserContextOptions = { viewport: { width: 1280, height: 800 }, bypassCSP: true };
const WEEK_MS = 7 * 86_400_000;

/** A message of the main list, by a piece of its own text. */
const message = (page: Page, text: string) =>
  page.locator('#messages li.message').filter({ has: page.locator('.message__text', { hasText: text }) });

/** Runs a call of our API from inside the page: its session cookie and origin go along. */
const api = (page: Page, path: string, body?: unknown) =>
  page.evaluate(
    async ([path, body]) => {
      const response = await fetch(path, {
        method: body === undefined ? 'GET' : 'POST',
        headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      return { status: response.status, body: (await response.json()) as unknown };
    },
    [path, body] as const,
  );

/** Opens the search with the keyboard and types `q`; resolves once the dialog answered. */
async function searchFor(page: Page, q: string): Promise<void> {
  await page.keyboard.press('Control+k');
  const box = page.getByRole('combobox', { name: 'Search the rooms you can read' });
  await box.fill(q);
  await page
    .getByRole('dialog')
    .getByRole('status')
    .filter({ hasText: /message|Nothing found/ })
    .waitFor();
}

describeWithService('in the browser: search and jump', browserAvailability(), () => {
  const app = browserAndApp(NO_RATE_LIMITS);

  it('should find a week-old message in a private room and jump there; find an edit by its new word only; show a non-member nothing', async () => {
    const annPage = await app.newPage(DESKTOP);
    const bobPage = await app.newPage(DESKTOP);
    // Fail at the step that did not happen, with its locator, well before the test's own timeout.
    for (const page of [annPage, bobPage]) page.setDefaultTimeout(8000);
    await registerAccount(annPage, app.server.baseUrl, uniqueUsername('ann'), TEST_PASSWORD);
    await registerAccount(bobPage, app.server.baseUrl, uniqueUsername('bob'), TEST_PASSWORD);
    const room = `vault-${randomBytes(3).toString('hex')}`;
    const ann = (await api(annPage, '/api/me')).body as User;

    // Ann's private room, where a week ago she wrote the forecast, and a hundred messages came
    // after it (so that it is far above the room's first page). Seeded through the stores (the
    // app, not told, opens the room only when ann does), the forecast then moved back in time.
    await app.server.app.get<RoomStore>(ROOM_STORE).create(room, { kind: 'private', owner: ann });
    const store = app.server.app.get<MessageStore>(MESSAGE_STORE);
    const handle = app.server.app.get<DatabaseHandle>(DATABASE);
    const old = await store.append({
      room,
      user: ann,
      clientId: 'seed-old',
      text: 'the quarterly forecast says <b>rain</b>',
    });
    if (handle.kind !== 'sqlite') throw new Error('this suite seeds the embedded SQLite store');
    handle.db
      .prepare('UPDATE messages SET created_at = ? WHERE id = ?')
      .run(new Date(Date.now() - WEEK_MS).toISOString(), old.message.id);
    for (let i = 0; i < 100; i++)
      await store.append({ room, user: ann, clientId: `seed-${i}`, text: `filler ${i}` });

    await annPage.getByLabel('Join or create a room').fill(room);
    await annPage.getByRole('button', { name: 'Go' }).click();
    await message(annPage, 'filler 99').waitFor();
    await expect(message(annPage, 'quarterly forecast').count()).resolves.toBe(0);

    // Ctrl+K, a word of it: one result in the room's group, the word marked, markup as text.
    await searchFor(annPage, 'forecast');
    const dialog = annPage.getByRole('dialog');
    const group = dialog.getByRole('group', { name: new RegExp(room) });
    await expect(group.getByRole('option').count()).resolves.toBe(1);
    await expect(group.locator('mark').allInnerTexts()).resolves.toEqual(['forecast']);
    await expect(group.getByRole('option').innerText()).resolves.toContain('<b>rain</b>');
    await expect(dialog.locator('b').count()).resolves.toBe(0);
    await screenshot(annPage, 'search-results');

    // Enter jumps: the room around that message, the message on screen and highlighted.
    await annPage.keyboard.press('Enter');
    const target = message(annPage, 'quarterly forecast');
    await target.waitFor();
    await expect(target.evaluate((element) => element.classList.contains('jump-target'))).resolves.toBe(true);
    const box = await target.boundingBox();
    expect(box !== null && box.y > 0 && box.y < 800).toBe(true);
    await annPage.getByRole('button', { name: 'Back to latest' }).waitFor();
    // Scrolling down pages forward from there, to the newest.
    for (let i = 0; i < 20 && (await message(annPage, 'filler 99').count()) === 0; i++) {
      await annPage.locator('#messages').evaluate((element) => element.scrollTo(0, element.scrollHeight));
      await annPage.waitForTimeout(100);
    }
    await message(annPage, 'filler 99').waitFor();
    await screenshot(annPage, 'search-jumped');
    await annPage.getByRole('button', { name: 'Back to latest' }).click();
    await annPage.locator('#message:focus').waitFor();

    // A thread reply opens the room at its root, with the thread beside it.
    const root = await store.append({
      room,
      user: ann,
      clientId: 'seed-root',
      text: 'who owns the deploy script',
    });
    await store.append({
      room,
      user: ann,
      clientId: 'seed-reply',
      text: 'the platform team owns it',
      threadId: root.message.id,
    });
    await searchFor(annPage, 'platform');
    await expect(annPage.getByRole('dialog').getByRole('option').innerText()).resolves.toContain(
      'in a thread',
    );
    await annPage.keyboard.press('Enter');
    const rootInRoom = message(annPage, 'who owns the deploy script');
    await rootInRoom.waitFor();
    await expect(rootInRoom.evaluate((element) => element.classList.contains('jump-target'))).resolves.toBe(
      true,
    );
    await annPage
      .getByRole('complementary', { name: 'Thread' })
      .getByText('the platform team owns it')
      .waitFor();
    await annPage.getByRole('button', { name: 'Back to latest' }).click();

    await sendMessage(annPage, 'standup moved to tuesday');
    await message(annPage, 'standup moved').waitFor();
    await annPage.locator('#message').press('ArrowUp');
    const editor = annPage.getByLabel('Edit your message');
    await editor.fill('standup moved to thursday');
    await editor.press('Enter');
    await message(annPage, 'thursday').getByText('(edited)').waitFor();
    await searchFor(annPage, 'thursday');
    await expect(annPage.getByRole('dialog').getByRole('option').allInnerTexts()).resolves.toEqual([
      expect.stringContaining('standup moved to thursday'),
    ]);
    await annPage.getByRole('combobox').fill('tuesday');
    await annPage.getByRole('dialog').getByRole('status').filter({ hasText: 'Nothing found' }).waitFor();
    await annPage.keyboard.press('Escape');
    await annPage.getByRole('dialog').waitFor({ state: 'detached' });

    // Bob, not a member: nothing from the box, and the API says the room does not exist.
    await bobPage.getByRole('button', { name: 'Search' }).click();
    await bobPage.getByRole('combobox').fill('forecast');
    await bobPage.getByRole('dialog').getByRole('status').filter({ hasText: 'Nothing found' }).waitFor();
    await expect((await api(bobPage, `/api/search?q=forecast&room=${room}`)).status).toBe(404);
    await expect((await api(bobPage, `/api/search?q=thursday`)).body).toEqual({ results: [] });
  });
});
