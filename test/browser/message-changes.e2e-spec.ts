import { expect, it } from '@jest/globals';
import type { BrowserContextOptions, Locator } from 'playwright-core';
import { TEST_PASSWORD, uniqueUsername } from '../utils/accounts.js';
import {
  axeViolations,
  browserAvailability,
  registerAccount,
  renderedRoom,
  screenshot,
  sendMessage,
  seriousOrCritical,
} from '../utils/browser.js';
import { browserAndApp } from '../utils/browser-and-server.js';
import { messageOf } from '../utils/browser-room.js';
import { describeWithService } from '../utils/services.js';
import { NO_RATE_LIMITS } from '../utils/start-app.js';

const DESKTOP: BrowserContextOptions = { viewport: { width: 1280, height: 800 }, bypassCSP: true };

/** Whether the element has keyboard focus. */
const isFocused = (locator: Locator) =>
  locator.evaluate((element) => element.ownerDocument.activeElement === element);

describeWithService('in the browser: messages that change', browserAvailability(), () => {
  const app = browserAndApp(NO_RATE_LIMITS);

  it('should edit, react, reply, delete and thread, by mouse and keyboard, and show both people the same room', async () => {
    const annPage = await app.newPage(DESKTOP);
    const bobContext = await app.browser.newContext({ ...DESKTOP, colorScheme: 'dark' });
    let bobPage = await bobContext.newPage();
    const ann = uniqueUsername('ann');
    const bob = uniqueUsername('bob');
    await registerAccount(annPage, app.server.baseUrl, ann, TEST_PASSWORD);
    await registerAccount(bobPage, app.server.baseUrl, bob, TEST_PASSWORD);
    // A room of their own, so that other suites' messages in general do not get in the way.
    for (const page of [annPage, bobPage]) {
      await page.getByLabel('Join or create a room').fill('changes');
      await page.getByRole('button', { name: 'Go' }).click();
      await page.getByRole('heading', { name: '# changes' }).waitFor();
    }

    // Up arrow in the empty composer edits your last message: a typo fixed.
    await sendMessage(annPage, 'teh plan for friday');
    await messageOf(bobPage, 'teh plan').waitFor();
    await annPage.locator('#message').press('ArrowUp');
    const editor = annPage.getByLabel('Edit your message');
    await editor.fill('the plan for friday');
    await editor.press('Enter');
    await expect(isFocused(annPage.locator('#message'))).resolves.toBe(true);
    await messageOf(bobPage, 'the plan for friday').getByText('(edited)').waitFor();

    // Bob reacts with the mouse; ann adds hers on the chip; both see 2.
    await messageOf(bobPage, 'the plan').hover();
    await messageOf(bobPage, 'the plan').getByRole('button', { name: 'React' }).click();
    await bobPage.getByRole('button', { name: 'React with thumbs up' }).click();
    await messageOf(annPage, 'the plan').getByRole('button', { name: 'thumbs up: 1' }).click();
    await messageOf(bobPage, 'the plan')
      .getByRole('button', { name: 'thumbs up: 2, including you' })
      .waitFor();
    await messageOf(annPage, 'the plan')
      .getByRole('button', { name: 'thumbs up: 2, including you' })
      .waitFor();

    // Bob replies by keyboard: focus the message (arrow keys), R, type, Enter.
    await bobPage.locator('#messages').focus();
    await bobPage.keyboard.press('ArrowUp');
    await bobPage.keyboard.press('r');
    await bobPage.getByText('Replying to').waitFor();
    await bobPage.keyboard.type('friday works for me');
    await bobPage.keyboard.press('Enter');
    const reply = messageOf(annPage, 'friday works for me');
    await reply.getByRole('button', { name: /In reply to .*the plan for friday/ }).click();
    await expect(isFocused(messageOf(annPage, 'the plan for friday').first())).resolves.toBe(true);

    // Ann deletes a message by keyboard (Delete, then confirm): a tombstone for both.
    await sendMessage(annPage, 'oops, wrong room');
    await messageOf(bobPage, 'oops, wrong room').waitFor();
    await messageOf(annPage, 'oops, wrong room').focus();
    await annPage.keyboard.press('Delete');
    await annPage
      .getByRole('group', { name: 'Delete this message?' })
      .getByRole('button', { name: 'Delete' })
      .click();
    await messageOf(bobPage, 'This message was deleted').waitFor();
    await messageOf(annPage, 'This message was deleted').waitFor();

    // A thread: bob opens it with T and replies there; the reply is not in the main list.
    await bobPage.locator('#messages').focus();
    await bobPage.keyboard.press('Home');
    await bobPage.keyboard.press('t');
    const thread = bobPage.getByRole('complementary', { name: 'Thread' });
    await thread.getByLabel('Reply in thread').fill('I will book the room');
    await thread.getByLabel('Reply in thread').press('Enter');
    await thread.getByText('I will book the room').waitFor();
    await messageOf(annPage, 'the plan for friday')
      .getByRole('button', { name: /^1 reply/ })
      .click();
    const annThread = annPage.getByRole('complementary', { name: 'Thread' });
    await annThread.getByText('I will book the room').waitFor();
    await expect(messageOf(annPage, 'I will book the room').count()).resolves.toBe(0);
    await annThread.getByLabel('Reply in thread').fill('thanks!');
    await annThread.getByLabel('Reply in thread').press('Enter');
    await thread.getByText('thanks!').waitFor();

    expect(seriousOrCritical(await axeViolations(annPage))).toEqual([]);
    expect(seriousOrCritical(await axeViolations(bobPage))).toEqual([]);
    await screenshot(annPage, 'message-changes-light');
    await screenshot(bobPage, 'message-changes-dark-thread');
    await expect(renderedRoom(bobPage)).resolves.toEqual(await renderedRoom(annPage));
    // Escape in the thread's composer closes it, and focus goes back to the root in the room.
    await thread.getByLabel('Reply in thread').press('Escape');
    await thread.waitFor({ state: 'detached' });
    await expect(isFocused(messageOf(bobPage, 'the plan for friday'))).resolves.toBe(true);

    // Bob closes his browser; ann keeps changing things; bob comes back to the same room.
    await bobPage.close();
    await messageOf(annPage, 'the plan').hover();
    await messageOf(annPage, 'the plan').getByRole('button', { name: 'React' }).click();
    await annPage.getByRole('button', { name: 'React with party popper' }).click();
    await messageOf(annPage, 'the plan')
      .getByRole('button', { name: 'party popper: 1, including you' })
      .waitFor();
    await sendMessage(annPage, 'one more thing');
    await annPage.locator('#message').press('ArrowUp');
    await annPage.getByLabel('Edit your message').fill('one more thing: bring snacks');
    await annPage.getByLabel('Edit your message').press('Enter');
    await messageOf(annPage, 'bring snacks').getByText('(edited)').waitFor();
    bobPage = await bobContext.newPage();
    await bobPage.goto(app.server.baseUrl);
    await bobPage.getByRole('heading', { name: '# changes' }).waitFor();
    await messageOf(bobPage, 'bring snacks').waitFor();
    await messageOf(bobPage, 'the plan').getByRole('button', { name: 'party popper: 1' }).waitFor();
    await expect(renderedRoom(bobPage)).resolves.toEqual(await renderedRoom(annPage));
    for (const page of [annPage, bobPage]) await page.context().close();
  }, 90_000);
});
