import { expect, it } from '@jest/globals';
import {
  browserAvailability,
  messageTexts,
  screenshot,
  sendMessage,
  signInAsGuest,
} from '../utils/browser.js';
import { describeWithService } from '../utils/services.js';
import { browserAndServerProcess } from '../utils/browser-and-server.js';

describeWithService('in the browser: the network goes away and comes back', browserAvailability(), () => {
  const app = browserAndServerProcess();

  it('should say offline as soon as the browser does, hold what is typed, and be back at once online', async () => {
    const aliceContext = await app.browser.newContext();
    const alice = await aliceContext.newPage();
    const bob = await app.newPage();
    // Alice's clock runs as usual until it is paused below (before any page script runs).
    await alice.clock.install();
    await signInAsGuest(alice, app.server.baseUrl, 'Alice');
    await signInAsGuest(bob, app.server.baseUrl, 'Bob');
    const status = alice.locator('.connection [role="status"]');
    await expect(status.innerText()).resolves.toBe('Connected');

    await aliceContext.setOffline(true);
    await alice.locator('.connection--offline').waitFor();
    await expect(status.innerText()).resolves.toBe('You are offline');
    await sendMessage(alice, 'typed offline');
    await alice.locator('.message--sending').waitFor();
    await expect(alice.locator('.connection').innerText()).resolves.toContain('1 waiting to send');
    await sendMessage(bob, 'while you were away');
    await screenshot(alice, 'offline-pending');

    // From here Alice's clock stands still: no backoff timer can fire, so only the browser's
    // `online` event can bring the connection back.
    await alice.clock.pauseAt((await alice.evaluate(() => Date.now())) + 1000);
    await aliceContext.setOffline(false);
    await alice.locator('.connection--open').waitFor();
    await alice.getByText('while you were away').waitFor();
    await alice.locator('.message--sending').waitFor({ state: 'detached' });
    await alice.clock.resume();

    // Each once, in the server's order, on both screens.
    await bob.getByText('typed offline').waitFor();
    const onAlice = await messageTexts(alice);
    expect(onAlice).toEqual(['while you were away', 'typed offline']);
    await expect(messageTexts(bob)).resolves.toEqual(onAlice);
  }, 90_000);
});
