import { afterAll, beforeAll, expect, it } from '@jest/globals';
import type { BrowserContextOptions, Page } from 'playwright-core';
import { axeViolations, browserAvailability, logIn, sendMessage, signInAsGuest } from '../utils/browser.js';
import { browserAndApp } from '../utils/browser-and-server.js';
import { describeWithService } from '../utils/services.js';
import { seedShowcase, TEST_PASSWORD, type Showcase } from '../utils/showcase.js';
import { NO_RATE_LIMITS } from '../utils/start-app.js';
import { holdJoins, saveScreen, socketSwitch } from '../utils/screens.js';

interface Variant {
  name: string;
  options: BrowserContextOptions;
  phone: boolean;
}

const VARIANTS: Variant[] = [
  {
    name: 'desktop-light',
    options: { viewport: { width: 1280, height: 800 }, colorScheme: 'light' },
    phone: false,
  },
  {
    name: 'desktop-dark',
    options: { viewport: { width: 1280, height: 800 }, colorScheme: 'dark' },
    phone: false,
  },
  {
    name: 'phone',
    options: { viewport: { width: 390, height: 844 }, colorScheme: 'light', isMobile: true, hasTouch: true },
    phone: true,
  },
];

const serious = (violations: Awaited<ReturnType<typeof axeViolations>>) =>
  violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.help} (${v.targets.join(', ')})`);

/**
 * The screens people see, in each look (desktop light and dark, a phone): saved as PNGs under
 * test-artifacts/screenshots for a human to judge, and each checked by axe (nothing serious or
 * critical) and for console errors.
 */
describeWithService('in the browser: the screens, for people and for axe', browserAvailability(), () => {
  const app = browserAndApp(NO_RATE_LIMITS);
  let showcase: Showcase;

  beforeAll(async () => {
    showcase = await seedShowcase(app.server.baseUrl, app.server.wsUrl);
  });
  afterAll(async () => {
    await showcase?.close();
  });

  const openSide = async (page: Page, variant: Variant) => {
    const toggle = page.getByRole('button', { name: /^Rooms/ });
    if (variant.phone && (await toggle.getAttribute('aria-expanded')) !== 'true') await toggle.click();
  };
  const entry = (page: Page, name: string | RegExp) =>
    page.getByRole('navigation', { name: 'Rooms and direct messages' }).getByRole('button', { name });

  for (const variant of VARIANTS) {
    it(`should show every screen well (${variant.name})`, async () => {
      const context = await app.browser.newContext({ ...variant.options, bypassCSP: true });
      const page = await context.newPage();
      const network = await socketSwitch(page);
      const errors: string[] = [];
      page.on('console', (message) => {
        if (message.type() === 'error') errors.push(message.text());
      });
      const findings: string[] = [];
      const look = async (screen: string) => {
        await saveScreen(page, `${screen}-${variant.name}`);
        findings.push(...serious(await axeViolations(page)).map((f) => `${screen}: ${f}`));
      };

      await page.goto(app.server.baseUrl);
      await page.getByLabel('Your name').waitFor();
      await look('sign-in');

      await logIn(page, app.server.baseUrl, showcase.reader, TEST_PASSWORD);
      await openSide(page, variant);
      await entry(page, /^# design/).click();
      await page.locator('.message__text', { hasText: 'Ship it' }).waitFor();
      await look('room');

      await page.getByRole('button', { name: /2 replies/ }).click();
      const thread = page.getByRole('complementary', { name: 'Thread' });
      await thread.getByText('after lunch').waitFor();
      await look('thread');
      await thread.getByRole('button', { name: 'Close thread' }).click();

      await openSide(page, variant);
      await page.getByRole('button', { name: 'Browse rooms' }).click();
      const directory = page.getByRole('dialog');
      await directory.getByText(/\d+ rooms?/).waitFor();
      await look('directory');
      await page.keyboard.press('Escape');
      await directory.waitFor({ state: 'detached' });

      await openSide(page, variant);
      await entry(page, new RegExp(`^(direct message )?${showcase.dmWith}`)).click();
      await page.locator('.message__text', { hasText: 'pricing page' }).waitFor();
      await look('dm');

      await context.setOffline(true);
      await network.cut();
      await page.locator('.connection:not(.connection--open)').waitFor();
      await sendMessage(page, `Typed on the train, sent when we are back (${variant.name})`);
      await page.locator('.message--sending').waitFor();
      await look('offline');
      await context.setOffline(false);
      network.restore();
      // Back at once rather than after the backoff: "Retry now" while it is offered.
      const delivered = page.locator('.message:not(.message--sending)', {
        hasText: `Typed on the train, sent when we are back (${variant.name})`,
      });
      while ((await delivered.count()) === 0) {
        await page
          .getByRole('button', { name: 'Retry now' })
          .click({ timeout: 1000 })
          .catch(() => undefined);
      }

      // A room whose first page is held back: the skeleton, never "No messages yet".
      const loading = await context.newPage();
      await holdJoins(loading);
      await loading.goto(app.server.baseUrl);
      await loading.getByRole('status', { name: 'Loading messages…' }).waitFor();
      await expect(loading.getByText('No messages yet').count()).resolves.toBe(0);
      await saveScreen(loading, `loading-${variant.name}`);
      findings.push(...serious(await axeViolations(loading)).map((f) => `loading: ${f}`));

      expect(findings).toEqual([]);
      // Going offline makes the browser log failed connections; nothing else may be red.
      expect(errors.filter((e) => !/ERR_INTERNET_DISCONNECTED|WebSocket/.test(e))).toEqual([]);
      await context.close();
    }, 120_000);
  }

  it('should never cut a name short on a phone (390 px)', async () => {
    const context = await app.browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true });
    const page = await context.newPage();
    const name = 'Pia on the morning train to Oslo'; // 32 characters, the longest a name may be
    await signInAsGuest(page, app.server.baseUrl, name);
    const shown = page.locator('.app__me .user-name__name');
    await expect(shown.innerText()).resolves.toBe(name);
    // Wrapped if it must, never clipped: all of it is laid out inside its box and the screen.
    const fits = await shown.evaluate((el) => {
      const box = el.getBoundingClientRect();
      return el.scrollWidth <= el.clientWidth && box.right <= 390 && box.left >= 0;
    });
    expect(fits).toBe(true);
    await sendMessage(page, 'hello from the train');
    const header = page.locator('.message--mine .message__header .user-name__name').first();
    await expect(header.innerText()).resolves.toBe(name);
    await expect(header.evaluate((el) => el.scrollWidth <= el.clientWidth)).resolves.toBe(true);
    await saveScreen(page, 'long-name-phone');
    await context.close();
  });
});
