import { expect, it } from '@jest/globals';
import type { BrowserContextOptions } from 'playwright-core';
import { TEST_PASSWORD, uniqueUsername } from '../utils/accounts.js';
import {
  axeViolations,
  browserAvailability,
  logIn,
  registerAccount,
  screenshot,
  sendMessage,
  seriousOrCritical,
} from '../utils/browser.js';
import { browserAndApp } from '../utils/browser-and-server.js';
import { sidebarEntry } from '../utils/browser-room.js';
import { describeWithService } from '../utils/services.js';
import { NO_RATE_LIMITS } from '../utils/start-app.js';

const DESKTOP: BrowserContextOptions = { viewport: { width: 1200, height: 760 }, bypassCSP: true };

describeWithService('in the browser: rooms that belong to people', browserAvailability(), () => {
  const app = browserAndApp(NO_RATE_LIMITS);

  const open = async (options: BrowserContextOptions = DESKTOP) => app.newPage(options);

  it('should follow one account on two devices: a private room, an invite, a DM, badges read on one cleared on the other, leave', async () => {
    const ann = uniqueUsername('ann');
    const bob = uniqueUsername('bob');
    const laptop = await open();
    const phone = await open({ viewport: { width: 1000, height: 760 }, bypassCSP: true });
    const bobPage = await open();
    await registerAccount(laptop, app.server.baseUrl, ann, TEST_PASSWORD);
    await registerAccount(bobPage, app.server.baseUrl, bob, TEST_PASSWORD);
    await logIn(phone, app.server.baseUrl, ann, TEST_PASSWORD);

    // A private room created on the laptop is on the phone too.
    await laptop.getByRole('button', { name: 'Create a room' }).click();
    const create = laptop.getByRole('dialog', { name: 'Create a room' });
    await create.getByLabel('Name').fill('plans');
    await create.getByLabel('Private: only people you invite').check();
    await create.getByLabel('Topic (optional)').fill('What we do next');
    await create.getByRole('button', { name: 'Create room' }).click();
    await laptop.getByRole('heading', { name: 'private room plans' }).waitFor();
    await laptop.getByText('What we do next').waitFor();
    await sidebarEntry(phone, 'private room plans').waitFor();

    // Invited, bob has it at once.
    await laptop.getByRole('button', { name: 'Invite people' }).click();
    const invite = laptop.getByRole('dialog', { name: 'Invite people to #plans' });
    await invite.getByLabel('Username').fill(bob);
    await invite.getByRole('button', { name: 'Invite' }).click();
    await invite.getByText(`Invite: ${bob} — done.`).waitFor();
    await invite.getByRole('button', { name: 'Close' }).click();
    await sidebarEntry(bobPage, 'private room plans').click();
    await bobPage.getByRole('heading', { name: 'private room plans' }).waitFor();

    // Both of ann's devices look at general; bob mentions her in plans: badges on each.
    await sidebarEntry(laptop, /^# general/).click();
    await sendMessage(bobPage, `hi @${ann}, the plan is ready`);
    await sidebarEntry(laptop, 'private room plans @1 mention 1 unread').waitFor();
    await sidebarEntry(phone, 'private room plans @1 mention 1 unread').waitFor();
    await screenshot(laptop, 'conversations-sidebar-badges');

    // Read on the phone: cleared on the laptop.
    await sidebarEntry(phone, /private room plans/).click();
    await phone.getByText('the plan is ready').waitFor();
    await phone.getByText('New messages').waitFor();
    // The marker reaches the other devices within about a second (reads are coalesced): wait for
    // the entry without badges, whose name is exactly the room's.
    await laptop
      .getByRole('navigation', { name: 'Rooms and direct messages' })
      .getByRole('button', { name: 'private room plans', exact: true })
      .waitFor();
    await expect(sidebarEntry(laptop, /private room plans/).innerText()).resolves.not.toMatch(/\d/);

    // A DM from the laptop; bob answers from the member list of plans: the same room.
    await laptop.getByRole('button', { name: 'New direct message' }).click();
    const dm = laptop.getByRole('dialog', { name: 'New direct message' });
    await dm.getByLabel('Username').fill(bob);
    await dm.getByRole('button', { name: 'Open conversation' }).click();
    await laptop.getByRole('heading', { name: bob }).waitFor();
    await sendMessage(laptop, 'psst, a DM');
    await sidebarEntry(bobPage, `${ann} 1 unread`).waitFor();
    await bobPage.getByRole('button', { name: `${ann}, send a direct message` }).click();
    await bobPage.getByRole('heading', { name: ann }).waitFor();
    await bobPage.getByText('psst, a DM').waitFor();
    await sendMessage(bobPage, 'got it');
    await laptop.getByText('got it').waitFor();
    await sidebarEntry(phone, `${bob} 1 unread`).waitFor();

    // A third person can neither find nor open the private room.
    const carolPage = await open();
    await registerAccount(carolPage, app.server.baseUrl, uniqueUsername('carol'), TEST_PASSWORD);
    await carolPage.getByRole('button', { name: 'Browse rooms' }).click();
    const directory = carolPage.getByRole('dialog', { name: 'Browse rooms' });
    await directory.getByLabel('Search rooms by name').fill('plan');
    await directory.getByText('0 rooms').waitFor();
    await directory.getByRole('button', { name: 'Close' }).click();
    await expect(carolPage.getByText('the plan is ready').count()).resolves.toBe(0);

    // The laptop screen passes axe, with the sidebar, a DM and a dialog open.
    expect(seriousOrCritical(await axeViolations(laptop))).toEqual([]);
    await laptop.getByRole('button', { name: 'Browse rooms' }).click();
    await laptop
      .getByRole('dialog', { name: 'Browse rooms' })
      .getByText(/\d+ rooms?/)
      .waitFor();
    expect(seriousOrCritical(await axeViolations(laptop))).toEqual([]);
    await screenshot(laptop, 'conversations-directory');
    await laptop.keyboard.press('Escape');

    // The last owner of a room with members cannot leave it (nobody would moderate it): the
    // app says why, and the room stays on both devices.
    await laptop.getByRole('button', { name: 'Leave plans' }).click();
    await laptop.getByText(/you are the last owner of room "plans"/).waitFor();
    // Leave the DM on the laptop: gone from the phone too; plans stays.
    const dmEntry = new RegExp(`^${bob}( |$)`);
    await laptop.getByRole('button', { name: `Leave ${bob}` }).click();
    await sidebarEntry(laptop, dmEntry).waitFor({ state: 'detached' });
    await sidebarEntry(phone, dmEntry).waitFor({ state: 'detached' });
    await sidebarEntry(phone, /^private room plans/).waitFor();
    await screenshot(phone, 'conversations-sidebar-after-leave');
    for (const page of [laptop, phone, bobPage, carolPage]) await page.context().close();
  }, 90_000);
});
