import { expect, it } from '@jest/globals';
import {
  browserAvailability,
  messageTexts,
  sendMessage,
  signInAsGuest,
  watchCspViolations,
} from '../utils/browser.js';
import { browserAndApp } from '../utils/browser-and-server.js';
import { describeWithService } from '../utils/services.js';

const HOSTILE_NAME = '<img src=x onerror=pwned=1>'; // within the 32-character limit
const HOSTILE_TEXTS = [
  '<script>window.pwned = 2</script>',
  '<img src=x onerror="window.pwned=3">',
  '"><svg onload="window.pwned=4">',
  'javascript:window.pwned=5',
];

describeWithService(
  'in the browser: hostile names and messages are shown as text',
  browserAvailability(),
  () => {
    const app = browserAndApp();

    it('should render hostile names and messages verbatim, running none of them', async () => {
      const mallory = await app.newPage();
      const victim = await app.newPage();
      const violations = [mallory, victim].map(watchCspViolations);
      await signInAsGuest(mallory, app.server.baseUrl, HOSTILE_NAME);
      await signInAsGuest(victim, app.server.baseUrl, 'Victim');

      for (const text of HOSTILE_TEXTS) await sendMessage(mallory, text);
      await victim.getByText(HOSTILE_TEXTS.at(-1)!).waitFor();

      await expect(messageTexts(victim)).resolves.toEqual(HOSTILE_TEXTS);
      await expect(victim.locator('.message .user-name__name').first().innerText()).resolves.toBe(
        HOSTILE_NAME,
      );
      await expect(victim.locator('.presence').innerText()).resolves.toContain(HOSTILE_NAME);
      // Nothing became markup, and nothing ran.
      await expect(victim.locator('.messages img, .messages svg, .messages script').count()).resolves.toBe(0);
      await expect(victim.evaluate(() => (globalThis as { pwned?: number }).pwned)).resolves.toBeUndefined();
      await expect(mallory.evaluate(() => (globalThis as { pwned?: number }).pwned)).resolves.toBeUndefined();
      expect(violations.flat()).toEqual([]);
    });
  },
);
