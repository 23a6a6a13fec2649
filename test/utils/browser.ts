import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

/** Debian's Chromium: browser tests never download a browser. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Screenshots and other files a browser test leaves for humans to look at. */
export const ARTIFACTS_DIR = fileURLToPath(new URL('../../test-artifacts', import.meta.url));

export function browserAvailability(): { available: boolean; reason: string } {
  return {
    available: existsSync(CHROMIUM),
    reason: `Chromium at ${CHROMIUM} (apt-get install -y chromium; .ci/run does it)`,
  };
}

/** `extraArgs`: more Chromium switches, for a suite that needs one (each says why). */
export function launchBrowser(extraArgs: readonly string[] = []): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      ...extraArgs,
    ],
  });
}

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(ARTIFACTS_DIR, { recursive: true });
  const path = join(ARTIFACTS_DIR, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

/** The texts of the messages on screen, in display order (acknowledged ones only). */
export async function messageTexts(page: Page): Promise<string[]> {
  return page.locator('.message:not(.message--sending):not(.message--failed) .message__text').allInnerTexts();
}

export async function signInAsGuest(page: Page, baseUrl: string, name: string): Promise<void> {
  await page.goto(baseUrl);
  await page.getByLabel('Your name').fill(name);
  await page.getByRole('button', { name: 'Join as a guest' }).last().click();
  await page.locator('.connection--open').waitFor();
}

export async function registerAccount(
  page: Page,
  baseUrl: string,
  username: string,
  password: string,
): Promise<void> {
  await page.goto(baseUrl);
  await page.getByRole('tab', { name: 'Create an account' }).click();
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Create an account' }).last().click();
  await page.locator('.connection--open').waitFor();
}

export async function logIn(page: Page, baseUrl: string, username: string, password: string): Promise<void> {
  await page.goto(baseUrl);
  await page.getByRole('tab', { name: 'Log in' }).click();
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Log in' }).last().click();
  await page.locator('.connection--open').waitFor();
}

/**
 * A room as its reader sees it, one line per message of the main list: the text as shown
 * (quote, "(edited)", tombstone, reaction chips and "N replies" included), for comparing two
 * readers' screens.
 */
export async function renderedRoom(page: Page): Promise<string[]> {
  return page.locator('#messages li.message').evaluateAll((items) =>
    items.map((item) =>
      [...item.childNodes]
        .filter(
          (node) =>
            !(node as { classList?: { contains(c: string): boolean } }).classList?.contains(
              'message__actions',
            ),
        )
        .map((node) => node.textContent ?? '')
        .join('')
        .replace(/\s+/g, ' ')
        .trim(),
    ),
  );
}

export async function sendMessage(page: Page, text: string): Promise<void> {
  const composer = page.locator('#message');
  await composer.fill(text);
  await composer.press('Enter');
}

/** Collects the page's Content-Security-Policy violations (they show up as console errors). */
export function watchCspViolations(page: Page): string[] {
  const violations: string[] = [];
  page.on('console', (message) => {
    if (/Content Security Policy|Refused to/i.test(message.text())) violations.push(message.text());
  });
  return violations;
}

/** axe-core's browser build, injected into pages for accessibility checks. */
export const AXE_PATH = fileURLToPath(new URL('../../node_modules/axe-core/axe.min.js', import.meta.url));

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  targets: string[];
}

/**
 * What in-page code here (functions passed to page.evaluate, run in the browser) touches of the
 * DOM, typed by hand: the test project compiles without the DOM library.
 */
interface PageGlobals {
  document: {
    activeElement: { matches(selector: string): boolean; outerHTML: string } | null;
    dispatchEvent(event: unknown): boolean;
  };
  Event: new (type: string) => unknown;
  axe: { run(context: unknown): Promise<AxeResults> };
  __notifications: { title: string; body?: string; tag?: string; closed: boolean; notification: Clickable }[];
}
interface AxeResults {
  violations: { id: string; impact?: string | null; help: string; nodes: { target: unknown[] }[] }[];
}
interface Clickable {
  dispatchEvent(event: unknown): boolean;
}

/**
 * Runs axe-core over the whole page and returns every violation it reports. The page's context
 * must be created with `bypassCSP: true`: the app's Content-Security-Policy rightly refuses the
 * injected script, and axe is the only thing that bypass lets in.
 */
export async function axeViolations(page: Page): Promise<AxeViolation[]> {
  await page.addScriptTag({ path: AXE_PATH });
  const results = await page.evaluate(() => {
    const page = globalThis as unknown as PageGlobals;
    return page.axe.run(page.document);
  });
  return results.violations.map((v) => ({
    id: v.id,
    impact: v.impact ?? null,
    help: v.help,
    targets: v.nodes.map((n) => n.target.join(' ')),
  }));
}

/** The violations a page must not have: axe's serious and critical ones. */
export const seriousOrCritical = (violations: AxeViolation[]) =>
  violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');

/**
 * Makes the page believe its tab went to the background (or came back) and fires
 * `visibilitychange`, as a browser does when the user switches tabs. Headless Chromium has no
 * background tabs, so this stubs `document.hidden` and `document.visibilityState`.
 */
export async function setPageHidden(page: Page, hidden: boolean): Promise<void> {
  await page.evaluate((isHidden) => {
    const { document, Event } = globalThis as unknown as PageGlobals;
    Object.defineProperty(document, 'hidden', { configurable: true, get: () => isHidden });
    Object.defineProperty(document, 'visibilityState', {
      configurable: true,
      get: () => (isHidden ? 'hidden' : 'visible'),
    });
    document.dispatchEvent(new Event('visibilitychange'));
  }, hidden);
}

export interface RecordedNotification {
  title: string;
  body: string | undefined;
  tag: string | undefined;
  closed: boolean;
}

/**
 * Records every desktop notification the context's pages create, in `window.__notifications`,
 * while still creating the real one: headless Chromium displays none, so there is nothing else
 * to observe. Call before the page loads.
 */
export async function recordNotifications(context: BrowserContext): Promise<void> {
  await context.addInitScript({
    content: `(() => {
      const created = [];
      class RecordedNotification extends window.Notification {
        constructor(title, options) {
          super(title, options);
          const entry = { title, body: options?.body, tag: options?.tag, closed: false, notification: this };
          created.push(entry);
          const close = this.close.bind(this);
          this.close = () => { entry.closed = true; close(); };
        }
      }
      Object.assign(window, { Notification: RecordedNotification, __notifications: created });
    })();`,
  });
}

export function notificationsOf(page: Page): Promise<RecordedNotification[]> {
  return page.evaluate(() =>
    (globalThis as unknown as PageGlobals).__notifications.map(({ title, body, tag, closed }) => ({
      title,
      body,
      tag,
      closed,
    })),
  );
}

/** Clicks a recorded notification as the user would: its `click` event. */
export async function clickNotification(page: Page, index: number): Promise<void> {
  await page.evaluate((i) => {
    const { __notifications, Event } = globalThis as unknown as PageGlobals;
    __notifications[i]!.notification.dispatchEvent(new Event('click'));
  }, index);
}

/**
 * Presses `key` until the focused element matches `selector`, as a keyboard user moving
 * through the page would; fails after `max` presses. Returns how many presses it took.
 */
export async function pressUntilFocused(
  page: Page,
  key: string,
  selector: string,
  max = 30,
): Promise<number> {
  for (let presses = 1; presses <= max; presses++) {
    await page.keyboard.press(key);
    const focused = await page.evaluate((s) => {
      const { document } = globalThis as unknown as PageGlobals;
      return document.activeElement?.matches(s) ?? false;
    }, selector);
    if (focused) return presses;
  }
  const focused = await page.evaluate(() => {
    const { document } = globalThis as unknown as PageGlobals;
    return document.activeElement?.outerHTML.slice(0, 120);
  });
  throw new Error(`"${selector}" not focused after ${max} × ${key}; focus is on ${focused}`);
}
