import { afterAll, beforeAll, expect, it } from '@jest/globals';
import type { Page } from 'playwright-core';
import { register, TEST_PASSWORD } from '../utils/accounts.js';
import { browserAvailability, logIn, sendMessage, signInAsGuest } from '../utils/browser.js';
import { saveScreen } from '../utils/screens.js';
import { browserAndApp } from '../utils/browser-and-server.js';
import { describeWithService } from '../utils/services.js';
import { NO_RATE_LIMITS } from '../utils/start-app.js';
import { closeAll, TestClient } from '../utils/test-client.js';

/** In-page globals the checks below touch (the test project compiles without the DOM library). */
interface Globals {
  document: {
    body: unknown;
    querySelector(selector: string): { getAttribute(name: string): string | null } | null;
  };
  MutationObserver: new (callback: () => void) => { observe(target: unknown, options: object): void };
  __sawEmpty: boolean;
  __check: () => void;
}

describeWithService('in the browser: states that tell the truth', browserAvailability(), () => {
  const app = browserAndApp(NO_RATE_LIMITS);
  let max: TestClient;

  beforeAll(async () => {
    max = await TestClient.joined(app.server.wsUrl, 'general', { name: 'Max' });
    for (let i = 1; i <= 40; i++) {
      const clientId = crypto.randomUUID();
      max.send('send', { room: 'general', text: `busy line ${i}`, clientId });
      await max.next('ack', (ack) => ack.clientId === clientId);
    }
  });
  afterAll(async () => {
    await closeAll([max]);
  });

  const newPage = async (): Promise<Page> => app.newPage();

  it('should never show "No messages yet" while a busy room loads, on a first visit and on reload', async () => {
    const page = await newPage();
    // From the first paint on: did the empty text ever appear? Did the skeleton?
    await page.addInitScript(() => {
      const g = globalThis as unknown as Globals & { __sawSkeleton: boolean };
      g.__sawEmpty = false;
      g.__sawSkeleton = false;
      g.__check = () => {
        const text = (g.document.body as { textContent: string | null } | null)?.textContent ?? '';
        if (text.includes('No messages yet')) g.__sawEmpty = true;
        if (g.document.querySelector('.skeleton')) g.__sawSkeleton = true;
      };
      new g.MutationObserver(() => g.__check()).observe(g.document, {
        childList: true,
        subtree: true,
        characterData: true,
      });
    });
    const seen = () =>
      page.evaluate(() => {
        const g = globalThis as unknown as Globals & { __sawSkeleton: boolean };
        return { empty: g.__sawEmpty, skeleton: g.__sawSkeleton };
      });
    await signInAsGuest(page, app.server.baseUrl, 'Rea');
    await page.getByText('busy line 40', { exact: true }).waitFor();
    await expect(seen()).resolves.toEqual({ empty: false, skeleton: true });

    await page.reload();
    await page.getByText('busy line 40', { exact: true }).waitFor();
    await expect(seen()).resolves.toEqual({ empty: false, skeleton: true });
    await page.context().close();
  });

  it('should say "No messages yet" for a room that has none, once it is loaded', async () => {
    const { token } = await register(app.server.baseUrl, 'quietowner');
    const owner = await TestClient.joined(app.server.wsUrl, 'quiet', { token });
    const page = await newPage();
    await logIn(page, app.server.baseUrl, 'quietowner', TEST_PASSWORD);
    await page.getByRole('button', { name: /^# quiet/ }).click();
    await page.getByText('No messages yet. Say hi!').waitFor();
    await expect(page.locator('.skeleton').count()).resolves.toBe(0);
    await closeAll([owner]);
    await page.context().close();
  });

  it('should log no error on a first visit, and show the favicon with a dot while something is unread', async () => {
    const page = await newPage();
    const errors: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(message.text());
    });
    const failed: string[] = [];
    page.on('response', (response) => {
      if (response.status() >= 400) failed.push(`${response.status()} ${response.url()}`);
    });
    await page.goto(app.server.baseUrl);
    await page.getByLabel('Your name').waitFor();
    const icon = () => page.locator('link[rel="icon"]').getAttribute('href');
    await expect(icon()).resolves.toBe('/favicon.svg');
    const favicon = await page.request.get(`${app.server.baseUrl}/favicon.svg`);
    expect(favicon.status()).toBe(200);
    expect(favicon.headers()['content-type']).toContain('image/svg+xml');

    await page.getByRole('button', { name: 'Join as a guest' }).last().click();
    await page.locator('.connection--open').waitFor();
    expect(errors).toEqual([]);
    expect(failed).toEqual([]);

    // Something unread (in a room not on screen): the title counts it and the icon wears a dot.
    const { token } = await register(app.server.baseUrl, 'dotowner');
    const owner = await TestClient.joined(app.server.wsUrl, 'dots', { token });
    await page.getByLabel('Join a room').fill('dots');
    await page.getByRole('button', { name: 'Join' }).click();
    await page.getByRole('heading', { name: '# dots' }).waitFor();
    await page.getByRole('button', { name: /^# general/ }).click();
    const clientId = crypto.randomUUID();
    owner.send('send', { room: 'dots', text: 'a dot for you', clientId });
    await owner.next('ack');
    await page.waitForFunction(() =>
      /^\(1\)/.test((globalThis as unknown as { document: { title: string } }).document.title),
    );
    await expect(icon()).resolves.toMatch(/^data:image\/svg\+xml,.*circle/);
    await page.getByRole('button', { name: /^# dots/ }).click();
    await page.waitForFunction(
      () => (globalThis as unknown as { document: { title: string } }).document.title === 'Chat',
    );
    await expect(icon()).resolves.not.toMatch(/circle/);
    await closeAll([owner]);
    await page.context().close();
  });

  it('should put notices in one place, worded for people, each with what fixes it', async () => {
    const page = await newPage();
    await signInAsGuest(page, app.server.baseUrl, 'Tess');
    // A command's answer: a status toast, dismissed by a click.
    await sendMessage(page, '/help');
    const status = page.locator('.toasts [role="status"]');
    await status.getByText('/me').first().waitFor();
    await status.getByRole('button', { name: 'Dismiss' }).click();
    await expect(status.locator('.toast').count()).resolves.toBe(0);

    // A refusal: people's words first, the server's precise reason under them, then the fix.
    await page.getByLabel('Join a room').fill('secret-plans');
    await page.getByRole('button', { name: 'Join' }).click();
    const alert = page.locator('.toasts [role="alert"] .toast');
    await alert.waitFor();
    await expect(alert.locator('.toast__title').innerText()).resolves.toBe('You cannot join that room');
    await expect(alert.innerText()).resolves.toContain('guests cannot create rooms');
    await expect(alert.locator('.toast__hint').innerText()).resolves.toContain('create an account');
    await saveScreen(page, 'toast-desktop-light');
    // Never a banner stack above the conversation: the toasts float over it, one region each.
    await expect(
      page.locator('.app__main .notice, .app__main .info, .app__main .offer').count(),
    ).resolves.toBe(0);
    await expect(page.locator('.offer').count()).resolves.toBeLessThanOrEqual(1);
    await alert.getByRole('button', { name: 'Dismiss' }).click();
    await alert.waitFor({ state: 'detached' });
    await page.context().close();
  });

  it('should put sign-in and register errors next to their fields', async () => {
    const page = await newPage();
    await page.goto(app.server.baseUrl);
    await page.getByRole('tab', { name: 'Create an account' }).click();
    await page.getByLabel('Username').fill('x');
    await page.getByLabel('Password').fill('short');
    await page.getByRole('button', { name: 'Create an account' }).last().click();

    const username = page.getByLabel('Username');
    const password = page.getByLabel('Password');
    await expect(username.getAttribute('aria-invalid')).resolves.toBe('true');
    await expect(password.getAttribute('aria-invalid')).resolves.toBe('true');
    // Each field is described by its own error (and hint), and focus is on the first to fix.
    const describedBy = async (field: typeof username) =>
      page.evaluate(
        (ids) =>
          ids
            .split(' ')
            .map(
              (id) =>
                (
                  globalThis as unknown as {
                    document: { getElementById(id: string): { textContent: string | null } | null };
                  }
                ).document.getElementById(id)?.textContent ?? '',
            )
            .join(' | '),
        (await field.getAttribute('aria-describedby')) ?? '',
      );
    await expect(describedBy(username)).resolves.toMatch(/Usernames are 3-32 characters/);
    await expect(describedBy(password)).resolves.toMatch(/at least 8 characters/i);
    await expect(
      username.evaluate(
        (el) =>
          el === (globalThis as unknown as { document: { activeElement: unknown } }).document.activeElement,
      ),
    ).resolves.toBe(true);

    // The server's own refusal (a taken name) lands on its field too.
    await register(app.server.baseUrl, 'taken.name');
    await username.fill('taken.name');
    await password.fill(TEST_PASSWORD);
    await page.getByRole('button', { name: 'Create an account' }).last().click();
    await page.locator('#username-error', { hasText: 'taken' }).waitFor();
    await expect(username.getAttribute('aria-invalid')).resolves.toBe('true');
    await expect(password.getAttribute('aria-invalid')).resolves.toBeNull();
    await page.context().close();
  });
});
