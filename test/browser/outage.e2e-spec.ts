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

describeWithService('in the browser: a server outage mid-conversation', browserAvailability(), () => {
  const app = browserAndServerProcess();

  it('should lose nothing and show nothing twice when the server goes down and comes back', async () => {
    const alice = await app.newPage();
    let bob = await app.newPage();
    await signInAsGuest(alice, app.server.baseUrl, 'Alice');
    await signInAsGuest(bob, app.server.baseUrl, 'Bob');

    await sendMessage(alice, 'hello Bob');
    await bob.getByText('hello Bob').waitFor();
    await sendMessage(bob, 'hi Alice');
    await alice.getByText('hi Alice').waitFor();

    // The server goes away (as in a crash: no goodbye).
    const port = app.server.port;
    await app.server.kill('SIGKILL');
    await alice.locator('.connection--reconnecting').waitFor();

    await sendMessage(alice, 'are you there?');
    await sendMessage(alice, 'I will wait');
    const pending = alice.locator('.message--sending');
    await expect(pending.count()).resolves.toBe(2);
    await expect(alice.locator('.connection').innerText()).resolves.toContain('2 waiting to send');
    await screenshot(alice, 'outage-pending');

    // Bob writes too, then closes his tab during the outage: his message waits in browser storage.
    await bob.locator('.connection--reconnecting').waitFor();
    await sendMessage(bob, 'back soon');
    await bob.locator('.message--sending').waitFor();
    const bobContext = bob.context();
    await bob.close();

    await app.restartServer(port);
    // Alice's page reconnects by itself (backoff), resumes and sends its outbox; Bob comes back
    // in a new tab, whose stored outbox goes out with the original clientIds.
    await alice.locator('.connection--open').waitFor({ timeout: 40_000 });
    bob = await bobContext.newPage();
    await bob.goto(app.server.baseUrl);
    for (const page of [alice, bob]) {
      await page.getByText('I will wait').waitFor({ timeout: 40_000 });
      await page.getByText('back soon').waitFor({ timeout: 40_000 });
      await page.locator('.message--sending').first().waitFor({ state: 'detached' });
    }

    const onAlice = await messageTexts(alice);
    expect(onAlice.slice(0, 2)).toEqual(['hello Bob', 'hi Alice']);
    expect([...onAlice].sort()).toEqual(
      ['are you there?', 'back soon', 'hello Bob', 'hi Alice', 'I will wait'].sort(),
    );
    // The two outboxes raced each other; whatever the server's order, both pages show it.
    await expect(messageTexts(bob)).resolves.toEqual(onAlice);
    expect(onAlice.indexOf('are you there?')).toBeLessThan(onAlice.indexOf('I will wait'));
    await screenshot(bob, 'outage-recovered');
  }, 90_000);
});
