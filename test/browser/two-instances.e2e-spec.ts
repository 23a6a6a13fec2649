import { afterAll, beforeAll, expect, it } from '@jest/globals';
import type { Browser, BrowserContextOptions, Page } from 'playwright-core';
import { register, TEST_PASSWORD, uniqueUsername } from '../utils/accounts.js';
import {
  browserAvailability,
  launchBrowser,
  logIn,
  registerAccount,
  renderedRoom,
  sendMessage,
} from '../utils/browser.js';
import { acknowledged, joinRoom, messageOf, sidebarEntry, threadTexts } from '../utils/browser-room.js';
import { startCluster, type Cluster } from '../utils/cluster.js';
import { membershipApi } from '../utils/membership.js';
import { postgresAvailability } from '../utils/postgres.js';
import { redisAvailability, SHARED_REDIS_URL } from '../utils/redis.js';
import type { ServerProcess } from '../utils/server-process.js';
import { describeWithService } from '../utils/services.js';

const needs = [browserAvailability(), await postgresAvailability(), await redisAvailability()];
const services = {
  available: needs.every((need) => need.available),
  reason: needs.map((need) => need.reason).join(' and '),
};
const DESKTOP: BrowserContextOptions = { viewport: { width: 1280, height: 800 } };

describeWithService('in the browser: each person on another instance (PostgreSQL + Redis)', services, () => {
  let cluster: Cluster;
  let browser: Browser;
  let a: ServerProcess;
  let b: ServerProcess;

  beforeAll(async () => {
    cluster = await startCluster(SHARED_REDIS_URL, 2);
    [a, b] = cluster.servers as [ServerProcess, ServerProcess];
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await cluster?.stop();
  });

  it('should show both people the same changed room, also after one of them was away (issue 15)', async () => {
    const annPage = await (await browser.newContext(DESKTOP)).newPage();
    const bobContext = await browser.newContext(DESKTOP);
    let bobPage = await bobContext.newPage();
    await registerAccount(annPage, a.baseUrl, uniqueUsername('ann'), TEST_PASSWORD);
    await registerAccount(bobPage, b.baseUrl, uniqueUsername('bob'), TEST_PASSWORD);
    for (const page of [annPage, bobPage]) await joinRoom(page, 'changes');

    // A typo fixed on A (up arrow edits your last message): "(edited)" on B.
    await sendMessage(annPage, 'teh plan for friday');
    await messageOf(bobPage, 'teh plan').waitFor();
    await acknowledged(annPage, 'teh plan').waitFor();
    await annPage.locator('#message').press('ArrowUp');
    await annPage.getByLabel('Edit your message').fill('the plan for friday');
    await annPage.getByLabel('Edit your message').press('Enter');
    await messageOf(bobPage, 'the plan for friday').getByText('(edited)').waitFor();

    // Bob reacts on B, ann adds hers on A: both count 2.
    await messageOf(bobPage, 'the plan').hover();
    await messageOf(bobPage, 'the plan').getByRole('button', { name: 'React' }).click();
    await bobPage.getByRole('button', { name: 'React with thumbs up' }).click();
    await messageOf(annPage, 'the plan').getByRole('button', { name: 'thumbs up: 1' }).click();
    for (const page of [annPage, bobPage])
      await messageOf(page, 'the plan')
        .getByRole('button', { name: 'thumbs up: 2, including you' })
        .waitFor();

    // Bob replies by keyboard; ann sees the quote of her message.
    await bobPage.locator('#messages').focus();
    await bobPage.keyboard.press('ArrowUp');
    await bobPage.keyboard.press('r');
    await bobPage.getByText('Replying to').waitFor();
    await bobPage.keyboard.type('friday works for me');
    await bobPage.keyboard.press('Enter');
    await messageOf(annPage, 'friday works for me')
      .getByRole('button', { name: /In reply to .*the plan for friday/ })
      .waitFor();

    // Ann deletes a message on A: a tombstone on B.
    await sendMessage(annPage, 'oops, wrong room');
    await messageOf(bobPage, 'oops, wrong room').waitFor();
    await deleteMessage(annPage, 'oops, wrong room');
    await messageOf(bobPage, 'This message was deleted').waitFor();

    // Bob starts a thread on the plan from B; ann sees "1 reply" and the reply in it.
    await bobPage.locator('#messages').focus();
    await bobPage.keyboard.press('Home');
    await bobPage.keyboard.press('t');
    const bobThread = bobPage.getByRole('complementary', { name: 'Thread' });
    await bobThread.getByLabel('Reply in thread').fill('I will book the room');
    await bobThread.getByLabel('Reply in thread').press('Enter');
    await messageOf(annPage, 'the plan for friday')
      .getByRole('button', { name: /^1 reply/ })
      .click();
    const annThread = annPage.getByRole('complementary', { name: 'Thread' });
    await annThread.getByText('I will book the room').waitFor();
    await expect(renderedRoom(bobPage)).resolves.toEqual(await renderedRoom(annPage));

    // Bob closes his page; ann keeps changing things on A: an edit, a delete, a reaction, a
    // reply in the thread.
    await bobPage.close();
    await sendMessage(annPage, 'one more thing');
    await acknowledged(annPage, 'one more thing').waitFor();
    await annPage.locator('#message').press('ArrowUp');
    await annPage.getByLabel('Edit your message').fill('one more thing: bring snacks');
    await annPage.getByLabel('Edit your message').press('Enter');
    await messageOf(annPage, 'bring snacks').getByText('(edited)').waitFor();
    await sendMessage(annPage, 'scratch that');
    await deleteMessage(annPage, 'scratch that');
    await expect(messageOf(annPage, 'This message was deleted').count()).resolves.toBe(2);
    await messageOf(annPage, 'the plan').hover();
    await messageOf(annPage, 'the plan').getByRole('button', { name: 'React' }).click();
    await annPage.getByRole('button', { name: 'React with party popper' }).click();
    await messageOf(annPage, 'the plan')
      .getByRole('button', { name: 'party popper: 1, including you' })
      .waitFor();
    await annThread.getByLabel('Reply in thread').fill('see you there');
    await annThread.getByLabel('Reply in thread').press('Enter');
    await messageOf(annPage, 'the plan for friday')
      .getByRole('button', { name: /^2 replies/ })
      .waitFor();

    // Bob comes back on B: the room is the one ann sees, and so is the thread.
    bobPage = await bobContext.newPage();
    await bobPage.goto(b.baseUrl);
    await bobPage.getByRole('heading', { name: '# changes' }).waitFor();
    await messageOf(bobPage, 'bring snacks').getByText('(edited)').waitFor();
    await messageOf(bobPage, 'the plan').getByRole('button', { name: 'party popper: 1' }).waitFor();
    await messageOf(bobPage, 'the plan')
      .getByRole('button', { name: /^2 replies/ })
      .click();
    await bobPage.getByRole('complementary', { name: 'Thread' }).getByText('see you there').waitFor();
    const annRoom = await renderedRoom(annPage);
    expect(annRoom.filter((line) => line.includes('This message was deleted'))).toHaveLength(2);
    await expect(renderedRoom(bobPage)).resolves.toEqual(annRoom);
    await expect(threadTexts(bobPage)).resolves.toEqual(await threadTexts(annPage));
    for (const page of [annPage, bobPage]) await page.context().close();
  }, 120_000);

  it('should drop a kicked, then banned, user’s room on B without a reload, and show them nothing more of it (issue 14)', async () => {
    const ann = uniqueUsername('owner');
    const bob = uniqueUsername('bob');
    const { token } = await register(a.baseUrl, ann);
    const annPage = await (await browser.newContext(DESKTOP)).newPage();
    const bobPage = await (await browser.newContext(DESKTOP)).newPage();
    await logIn(annPage, a.baseUrl, ann, TEST_PASSWORD);
    await registerAccount(bobPage, b.baseUrl, bob, TEST_PASSWORD);

    // Ann creates a public room on A (she owns it); bob joins it on B.
    await annPage.getByRole('button', { name: 'Create a room' }).click();
    const create = annPage.getByRole('dialog', { name: 'Create a room' });
    await create.getByLabel('Name').fill('mods');
    await create.getByRole('button', { name: 'Create room' }).click();
    await annPage.getByRole('heading', { name: '# mods' }).waitFor();
    await joinRoom(bobPage, 'mods');
    await sendMessage(annPage, 'welcome, bob');
    await messageOf(bobPage, 'welcome, bob').waitFor();

    // Kicked from A: the room leaves bob's sidebar on B, and he is told why.
    await sendMessage(annPage, `/kick ${bob}`);
    await annPage.getByRole('status').getByText(`${bob} was removed from mods`).waitFor();
    await sidebarEntry(bobPage, /^# mods/).waitFor({ state: 'detached' });
    await bobPage.getByRole('alert').getByText('You were removed from #mods by a moderator.').waitFor();
    await bobPage.getByRole('heading', { name: '# general' }).waitFor();

    // He may come back to a public room; then ann bans him over HTTP on A.
    await sendMessage(annPage, 'said while bob was out');
    await joinRoom(bobPage, 'mods');
    await messageOf(bobPage, 'said while bob was out').waitFor();
    const banned = await membershipApi(a.baseUrl, token).ban('mods', bob);
    expect(banned.status).toBe(201);
    await sidebarEntry(bobPage, /^# mods/).waitFor({ state: 'detached' });
    await bobPage.getByRole('alert').getByText('You were banned from #mods by a moderator.').waitFor();

    // A later message in mods never reaches B: ann's next message, in general, does; and bob's
    // attempt to join again is refused.
    await sendMessage(annPage, 'after the ban');
    await messageOf(annPage, 'after the ban').waitFor();
    await sidebarEntry(annPage, /^# general/).click();
    await annPage.getByRole('heading', { name: '# general' }).waitFor();
    await sendMessage(annPage, 'meanwhile in general');
    await messageOf(bobPage, 'meanwhile in general').waitFor();
    await bobPage.getByLabel('Join or create a room').fill('mods');
    await bobPage.getByRole('button', { name: 'Go' }).click();
    await bobPage.getByRole('alert').getByText('you are banned from room "mods"', { exact: false }).waitFor();
    await expect(bobPage.getByText('after the ban').count()).resolves.toBe(0);
    await expect(sidebarEntry(bobPage, /^# mods/).count()).resolves.toBe(0);
    for (const page of [annPage, bobPage]) await page.context().close();
  }, 120_000);
});

/** Deletes one of your messages by keyboard (Delete, then confirm) and waits for the tombstone. */
async function deleteMessage(page: Page, text: string): Promise<void> {
  const before = await messageOf(page, 'This message was deleted').count();
  await acknowledged(page, text).focus();
  await page.keyboard.press('Delete');
  await page
    .getByRole('group', { name: 'Delete this message?' })
    .getByRole('button', { name: 'Delete' })
    .click();
  await messageOf(page, 'This message was deleted').nth(before).waitFor();
}
