import { expect, it } from '@jest/globals';
import {
  browserAvailability,
  messageTexts,
  registerAccount,
  screenshot,
  sendMessage,
  signInAsGuest,
  watchCspViolations,
} from '../utils/browser.js';
import { describeWithService } from '../utils/services.js';
import { browserAndServerProcess } from '../utils/browser-and-server.js';

describeWithService('in the browser: accounts, rooms, presence and typing', browserAvailability(), () => {
  const app = browserAndServerProcess();

  it('should let a registered user create a room that a guest then joins, and let them see and chat with each other', async () => {
    const alice = await app.newPage({ viewport: { width: 1200, height: 760 } });
    const bob = await (
      await app.browser.newContext({ viewport: { width: 1200, height: 760 }, colorScheme: 'dark' })
    ).newPage();
    // The app runs entirely under the server's Content-Security-Policy.
    const violations = [alice, bob].map(watchCspViolations);

    await registerAccount(alice, app.server.baseUrl, 'alice', 'wonderland');
    await alice.getByLabel('Join or create a room').fill('project');
    await alice.getByRole('button', { name: 'Go' }).click();
    await alice.getByRole('heading', { name: '# project' }).waitFor();

    await signInAsGuest(bob, app.server.baseUrl, 'Bob');
    // A guest cannot create rooms, and is told so.
    await bob.getByLabel('Join a room').fill('secret-plans');
    await bob.getByRole('button', { name: 'Join' }).click();
    await expect(bob.getByRole('alert').innerText()).resolves.toContain('guests cannot create rooms');
    await bob.getByLabel('Join a room').fill('project');
    await bob.getByRole('button', { name: 'Join' }).click();
    await bob.getByRole('heading', { name: '# project' }).waitFor();

    // Each sees the other online; the guest is marked as one.
    await alice.locator('.presence').getByText('Bob').waitFor();
    await bob.locator('.presence').getByText('alice').waitFor();
    await expect(alice.locator('.presence li', { hasText: 'Bob' }).innerText()).resolves.toContain('guest');
    await expect(bob.locator('.presence li', { hasText: 'alice' }).innerText()).resolves.not.toContain(
      'guest',
    );

    // Typing shows on the other side, and goes away when the message arrives.
    await alice.locator('#message').pressSequentially('hello Bob');
    await bob.getByText('alice is typing…').waitFor();
    await alice.locator('#message').press('Enter');
    await bob.getByText('hello Bob').waitFor();
    await bob.getByText('alice is typing…').waitFor({ state: 'detached' });

    await bob.locator('#message').pressSequentially('hi alice');
    await alice.getByText('Bob is typing…').waitFor();
    await bob.locator('#message').press('Enter');
    await alice.getByText('hi alice').waitFor();

    await expect(messageTexts(alice)).resolves.toEqual(['hello Bob', 'hi alice']);
    await expect(messageTexts(bob)).resolves.toEqual(['hello Bob', 'hi alice']);

    // A message in another room shows up as unread there.
    await sendMessage(alice, 'meanwhile…');
    await alice.getByRole('button', { name: '# general' }).click();
    await bob.locator('#message').fill('ping');
    await bob.locator('#message').press('Enter');
    await alice.getByRole('button', { name: /# project\s*1/ }).waitFor();
    await screenshot(alice, 'rooms-desktop-light');
    await bob.getByRole('button', { name: '# project' }).click();
    await screenshot(bob, 'rooms-desktop-dark');
    expect(violations.flat()).toEqual([]);
  }, 60_000);

  it('should send a user with a tampered token back to sign-in instead of reconnecting forever', async () => {
    const context = await app.browser.newContext();
    const page = await context.newPage();
    await signInAsGuest(page, app.server.baseUrl, 'Mallory');

    // The cookie is replaced by a token signed with some other secret, then the server restarts.
    const [cookie] = await context.cookies();
    const forged =
      'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJ1c2VyOmFkbWluIiwibmFtZSI6ImFkbWluIiwiZ3Vlc3QiOmZhbHNlfQ.' +
      'c2lnbmVkLXdpdGgtYW5vdGhlci1zZWNyZXQtYWxsLXRoZS1zYW1l';
    await context.addCookies([{ ...cookie!, value: forged }]);
    const port = app.server.port;
    await app.server.kill('SIGKILL');
    await app.restartServer(port);

    await page
      .getByText('Your session is no longer valid. Please sign in again.')
      .waitFor({ timeout: 40_000 });
    await page.getByRole('tab', { name: 'Log in' }).waitFor();
    await screenshot(page, 'session-rejected');
  }, 60_000);
});
