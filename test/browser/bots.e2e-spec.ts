import { expect, it } from '@jest/globals';
import {
  axeViolations,
  browserAvailability,
  screenshot,
  sendMessage,
  signInAsGuest,
} from '../utils/browser.js';
import { botAccounts, postAsBot } from '../utils/bot-post.js';
import { browserAndApp } from '../utils/browser-and-server.js';
import { describeWithService } from '../utils/services.js';
import { NO_RATE_LIMITS } from '../utils/start-app.js';

describeWithService('in the browser: bots', browserAvailability(), () => {
  const app = browserAndApp(NO_RATE_LIMITS);

  it('should mark a bot\'s messages with a "bot" badge (heard as "(bot)"), and a guest of the same name only as a guest', async () => {
    const bot = await botAccounts(app.server.app).ensure('timebot');
    // bypassCSP only lets axe's script in (see axeViolations).
    const page = await app.newPage({ bypassCSP: true });
    await signInAsGuest(page, app.server.baseUrl, 'timebot');
    await sendMessage(page, 'I am the real timebot');
    await postAsBot(app.server.app, bot, 'general', 'It is 12:00 UTC');

    const fromBot = page.locator('.message', { hasText: 'It is 12:00 UTC' });
    await fromBot.waitFor();
    const badge = fromBot.locator('.bot-mark');
    await expect(badge.isVisible()).resolves.toBe(true);
    // On screen "bot"; the brackets are for screen readers only.
    await expect(badge.textContent()).resolves.toBe(' (bot)');
    await expect(badge.locator('.visually-hidden').allTextContents()).resolves.toEqual([' (', ')']);
    await expect(badge.getAttribute('title')).resolves.toBe('Bot: posted by a program, not a person');
    await expect(fromBot.locator('.user-name').textContent()).resolves.toBe('timebot (bot)');
    await expect(fromBot.locator('.guest-mark').count()).resolves.toBe(0);

    const fromGuest = page.locator('.message', { hasText: 'I am the real timebot' });
    await expect(fromGuest.locator('.user-name').textContent()).resolves.toBe('timebot (guest)');
    await expect(fromGuest.locator('.bot-mark').count()).resolves.toBe(0);

    await screenshot(page, 'bot-badge');
    const serious = (await axeViolations(page)).filter(
      (v) => v.impact === 'serious' || v.impact === 'critical',
    );
    expect(serious).toEqual([]);
    await page.context().close();
  }, 60_000);
});
