import { afterAll, beforeAll, expect, it } from '@jest/globals';
import type { Locator, Page } from 'playwright-core';
import { browserAvailability, sendMessage, signInAsGuest } from '../utils/browser.js';
import { browserAndApp } from '../utils/browser-and-server.js';
import { describeWithService } from '../utils/services.js';
import { NO_RATE_LIMITS } from '../utils/start-app.js';
import { closeAll, TestClient } from '../utils/test-client.js';

/** How far (px) the conversation is scrolled up from its bottom. */
const distanceFromBottom = (region: Locator) =>
  region.evaluate((el) => el.scrollHeight - el.scrollTop - el.clientHeight);

/** Scrolls the conversation to its top and resolves once the app has seen the scroll event. */
const scrollToTop = (region: Locator) =>
  region.evaluate(
    (el) =>
      new Promise<void>((resolve) => {
        el.addEventListener('scroll', () => resolve(), { once: true });
        el.scrollTop = 0;
      }),
  );

describeWithService('in the browser: messages', browserAvailability(), () => {
  const app = browserAndApp(NO_RATE_LIMITS);
  let max: TestClient;

  beforeAll(async () => {
    max = await TestClient.joined(app.server.wsUrl, 'general', { name: 'Max' });
  });
  afterAll(async () => {
    await closeAll([max]);
  });

  async function post(text: string): Promise<void> {
    max.send('send', { room: 'general', text, clientId: crypto.randomUUID() });
    await max.next('ack');
  }

  const newPage = async (height = 760): Promise<Page> => app.newPage({ viewport: { width: 1000, height } });

  it('should make http(s) and mailto links clickable and safe, and leave javascript: as text', async () => {
    await post('from before you came');
    const page = await newPage();
    await signInAsGuest(page, app.server.baseUrl, 'Lia');
    const own = `${app.server.baseUrl}/linked-page`;
    const text = `see ${own}, mail mailto:max@example.com, not javascript:alert(1) nor <a href="javascript:alert(2)">x</a>`;
    await post(text);
    const message = page.locator('.message__text', { hasText: 'mail mailto' });
    await message.waitFor();

    // Text stays text: exactly what was sent, with two real links and nothing else made markup.
    await expect(message.innerText()).resolves.toBe(text);
    const links = message.locator('a');
    await expect(links.evaluateAll((as) => as.map((a) => a.getAttribute('href')))).resolves.toEqual([
      own,
      'mailto:max@example.com',
    ]);
    for (const link of await links.all()) {
      await expect(link.getAttribute('target')).resolves.toBe('_blank');
      await expect(link.getAttribute('rel')).resolves.toBe('noopener noreferrer');
    }
    await expect(page.locator('a[href^="javascript:" i]').count()).resolves.toBe(0);

    // Clicked, it opens a tab that cannot reach back to the chat, and learns nothing of where from.
    const [popup] = await Promise.all([page.context().waitForEvent('page'), links.first().click()]);
    await popup.waitForLoadState();
    const seen = popup.evaluate(() => {
      const { opener, document } = globalThis as unknown as {
        opener: unknown;
        document: { referrer: string };
      };
      return { opener, referrer: document.referrer };
    });
    await expect(seen).resolves.toEqual({ opener: null, referrer: '' });

    // Local times under a day separator; history is outside the live region, news inside it.
    await expect(page.locator('.day-separator').first().innerText()).resolves.toBe('Today');
    // A group's header: the name, then the time (HH:MM), the full date and time in its tooltip.
    const header = page.locator('.message--head .message__header').first();
    await expect(header.locator('.user-name__name').innerText()).resolves.toBe('Max');
    await expect(header.locator('time').innerText()).resolves.toMatch(/^\d{2}:\d{2}$/);
    await expect(header.locator('time').getAttribute('title')).resolves.toMatch(/\d{4}/);
    // Every message carries its time (shown on hover in a group, always read by screen readers)
    // and, in a group's later lines, its author for screen readers.
    const messages = page.locator('#messages li.message');
    await expect(page.locator('#messages li.message time[datetime][title]').count()).resolves.toBe(
      await messages.count(),
    );
    await expect(page.locator('.message--cont').first().innerText()).resolves.toMatch(
      /^\d{2}:\d{2}\s*Max:\s+\S/,
    );
    const live = page.locator('ol[aria-live="polite"]');
    await expect(live.innerText()).resolves.toContain('mail mailto');
    await expect(live.innerText()).resolves.not.toContain('from before you came');
    await sendMessage(page, 'my own words');
    await live.locator('li[aria-live="off"]', { hasText: 'my own words' }).waitFor();
    await page.context().close();
  });

  it('should stick to the bottom, and offer a jump to new messages when the reader has scrolled up', async () => {
    const page = await newPage(500);
    await signInAsGuest(page, app.server.baseUrl, 'Reader');
    const region = page.locator('#messages');
    for (let i = 1; i <= 30; i++) await post(`filler ${i}`);
    await page.getByText('filler 30', { exact: true }).waitFor();
    await expect(distanceFromBottom(region)).resolves.toBeLessThan(48);
    const jump = page.getByRole('button', { name: /new message/ });
    await expect(jump.count()).resolves.toBe(0);

    await scrollToTop(region);
    await post('news 1');
    await post('news 2');
    await page.getByRole('button', { name: '2 new messages' }).waitFor();
    await expect(distanceFromBottom(region)).resolves.toBeGreaterThan(100);

    await jump.click();
    await jump.waitFor({ state: 'detached' });
    await expect(distanceFromBottom(region)).resolves.toBeLessThan(48);
    const focused = region.evaluate(
      (el) =>
        el === (globalThis as unknown as { document: { activeElement: unknown } }).document.activeElement,
    );
    await expect(focused).resolves.toBe(true);

    // Writing while scrolled up brings the bottom into view: the writer wants to see their words.
    await scrollToTop(region);
    await sendMessage(page, 'my reply');
    await page.locator('.message:not(.message--sending)', { hasText: 'my reply' }).waitFor();
    await expect(distanceFromBottom(region)).resolves.toBeLessThan(48);
    await expect(jump.count()).resolves.toBe(0);
    await page.context().close();
  });
});
