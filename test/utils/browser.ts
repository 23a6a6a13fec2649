import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';

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

export function launchBrowser(): Promise<Browser> {
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
