import { beforeAll, expect, it } from '@jest/globals';
import type { User } from '@chat/contracts';
import type { Locator, Page } from 'playwright-core';
import { MESSAGE_STORE, type MessageStore } from '../../apps/api/src/storage/message-store.js';
import { browserAvailability, signInAsGuest } from '../utils/browser.js';
import { browserAndApp } from '../utils/browser-and-server.js';
import { describeWithService } from '../utils/services.js';
import { NO_RATE_LIMITS } from '../utils/start-app.js';
import { closeAll, TestClient } from '../utils/test-client.js';

const MESSAGES = 10_000;
const AUTHORS: User[] = ['ada', 'ben', 'cy'].map((name) => ({ id: `user:long-${name}`, name, guest: false }));

/** The seqs of the messages the page holds in its DOM (drawn rows only: the list is virtual). */
const drawn = (page: Page) =>
  page.locator('#messages li.message').evaluateAll((items) => items.map((li) => li.textContent ?? ''));

const scrollTo = (region: Locator, where: 'top' | 'bottom') =>
  region.evaluate(
    (el, to) =>
      new Promise<void>((resolve) => {
        el.addEventListener('scroll', () => resolve(), { once: true });
        el.scrollTop = to === 'top' ? 0 : el.scrollHeight;
      }),
    where,
  );

describeWithService('in the browser: a room with 10,000 messages', browserAvailability(), () => {
  const app = browserAndApp(NO_RATE_LIMITS);

  beforeAll(async () => {
    // Straight into the store: the test is about the list, not about posting ten thousand times.
    const store = app.server.app.get<MessageStore>(MESSAGE_STORE);
    // In batches: the store commits one instance's appends in call order, many to a commit.
    for (let from = 1; from <= MESSAGES; from += 500) {
      const batch = Array.from({ length: Math.min(500, MESSAGES - from + 1) }, (_, k) => from + k);
      await Promise.all(
        batch.map((i) =>
          store.append({
            room: 'general',
            user: AUTHORS[Math.floor(i / 3) % AUTHORS.length]!,
            text: `line ${i}`,
            clientId: `long-${i}`,
          }),
        ),
      );
    }
  }, 120_000);

  it('should hold all of them loaded, draw a few dozen rows, and show the right ones at the top and the bottom', async () => {
    const page = await app.newPage({ viewport: { width: 1100, height: 800 } });
    await signInAsGuest(page, app.server.baseUrl, 'Reader');
    const region = page.locator('#messages');
    await page.getByText(`line ${MESSAGES}`, { exact: true }).waitFor();

    // Load every page, as a reader scrolling up for a long time would.
    const older = page.getByRole('button', { name: 'Load older messages' });
    const started = Date.now();
    let pages = 0;
    while ((await older.count()) > 0) {
      const before = await region.locator('li.message').first().getAttribute('data-seq');
      await scrollTo(region, 'top');
      await page.waitForFunction(
        ([seq]) => {
          const { document } = globalThis as unknown as {
            document: { querySelector(s: string): { getAttribute(n: string): string | null } | null };
          };
          const first = document.querySelector('#messages li.message')?.getAttribute('data-seq');
          const loading = document.querySelector('#messages .messages__older button[disabled]');
          return first !== seq && !loading;
        },
        [before],
      );
      pages++;
    }
    const loadMs = Date.now() - started;

    // At the top: the very first message, and the DOM holds far fewer rows than messages.
    await scrollTo(region, 'top');
    await page.getByText('line 1', { exact: true }).waitFor();
    const atTop = await drawn(page);
    expect(atTop.length).toBeLessThan(150);
    expect(atTop.some((text) => text.includes('line 1') && !text.includes('line 1'.concat('0')))).toBe(true);

    // At the bottom: the newest, and still only a window of rows.
    const scrollStarted = Date.now();
    await scrollTo(region, 'bottom');
    await page.getByText(`line ${MESSAGES}`, { exact: true }).waitFor();
    const scrollMs = Date.now() - scrollStarted;
    const atBottom = await drawn(page);
    expect(atBottom.length).toBeLessThan(150);
    expect(atBottom.some((text) => text.includes('line 1 ') || text.endsWith('line 1'))).toBe(false);

    // Stuck to the bottom: a new message shows without scrolling.
    const max = await TestClient.joined(app.server.wsUrl, 'general', { name: 'Max' });
    max.send('send', { room: 'general', text: 'fresh at the bottom', clientId: crypto.randomUUID() });
    await max.next('ack');
    await page.getByText('fresh at the bottom', { exact: true }).waitFor();
    await expect(
      region.evaluate((el) => el.scrollHeight - el.scrollTop - el.clientHeight),
    ).resolves.toBeLessThan(48);

    // The middle, by keyboard: Home goes to the first message, End back to the newest.
    await region.focus();
    await page.keyboard.press('Home');
    await page.waitForFunction(() => {
      const { document } = globalThis as unknown as {
        document: {
          activeElement: { querySelector(s: string): { textContent: string | null } | null } | null;
        };
      };
      return document.activeElement?.querySelector('.message__text')?.textContent === 'line 1';
    });
    await page.keyboard.press('End');
    await page.waitForFunction(() => {
      const { document } = globalThis as unknown as {
        document: {
          activeElement: { querySelector(s: string): { textContent: string | null } | null } | null;
        };
      };
      return document.activeElement?.querySelector('.message__text')?.textContent === 'fresh at the bottom';
    });
    // Not asserted (no timing assertions): written down for docs/performance.md.
    console.info(
      `10,000 messages: ${pages} pages loaded in ${loadMs} ms; top->bottom in ${scrollMs} ms; rows drawn: ${atTop.length} at the top, ${atBottom.length} at the bottom`,
    );
    await closeAll([max]);
    await page.context().close();
  }, 240_000);
});
