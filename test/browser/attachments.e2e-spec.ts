import { expect, it } from '@jest/globals';
import sharp from 'sharp';
import {
  axeViolations,
  browserAvailability,
  registerAccount,
  screenshot,
  watchCspViolations,
} from '../utils/browser.js';
import { browserAndServerProcess } from '../utils/browser-and-server.js';
import { joinRoom, messageOf } from '../utils/browser-room.js';
import { saveScreen } from '../utils/screens.js';
import { describeWithService } from '../utils/services.js';

/**
 * Runs in the page: a paste into a composer's field of a clipboard that holds one PNG file, as a
 * screenshot tool leaves it. A string, because test/ is compiled without the DOM library.
 */
const PASTE_FILE = `(base64, field = '#message') => {
  const bytes = Uint8Array.from(atob(base64), (char) => char.charCodeAt(0));
  const clipboard = new DataTransfer();
  clipboard.items.add(new File([bytes], 'image.png', { type: 'image/png' }));
  const paste = new ClipboardEvent('paste', { clipboardData: clipboard, bubbles: true, cancelable: true });
  document.querySelector(field).dispatchEvent(paste);
}`;

/** The part of an HTMLImageElement the tests read (test/ is compiled without the DOM library). */
interface DecodableImage {
  decode(): Promise<void>;
  naturalWidth: number;
}

describeWithService('in the browser: file attachments', browserAvailability(), () => {
  const app = browserAndServerProcess();

  it('should show a screenshot pasted into a private room inline and in a lightbox, and keep it from a non-member', async () => {
    const alice = await (await app.browser.newContext({ viewport: { width: 1200, height: 800 } })).newPage();
    const mallory = await (await app.browser.newContext()).newPage();
    const violations = watchCspViolations(alice);
    await registerAccount(alice, app.server.baseUrl, 'alice', 'wonderland');
    await registerAccount(mallory, app.server.baseUrl, 'mallory', 'wonderland');

    // A private room of alice's, opened the way a user does.
    const created = await alice.request.post(`${app.server.baseUrl}/api/rooms`, {
      data: { name: 'secret', kind: 'private' },
    });
    expect(created.status()).toBe(201);
    await alice.getByLabel('Join or create a room').fill('secret');
    await alice.getByRole('button', { name: 'Go' }).click();
    await alice.getByRole('heading', { name: /secret/ }).waitFor();

    // A screenshot on the clipboard, pasted into the field (browsers call it image.png).
    const png = await sharp({ create: { width: 800, height: 500, channels: 3, background: '#3366cc' } })
      .png()
      .toBuffer();
    await alice.locator('#message').focus();
    await alice.evaluate(`(${PASTE_FILE})(${JSON.stringify(png.toString('base64'))})`);
    await alice
      .getByRole('list', { name: 'Files to send' })
      .getByText(/^Pasted .*\.png$/)
      .waitFor();
    // Sent at once: the message waits for its file if the upload is still running.
    await alice.locator('#message').press('Enter');

    const thumbnail = alice.getByRole('button', { name: /^Open image Pasted .*\.png$/ });
    await thumbnail.waitFor();
    const image = thumbnail.locator('img');
    await expect(
      image.evaluate((img: DecodableImage) => img.decode().then(() => img.naturalWidth)),
    ).resolves.toBe(320);

    await screenshot(alice, 'attachments-inline');
    await thumbnail.click();
    const lightbox = alice.getByRole('dialog', { name: /^Pasted .*\.png$/ });
    await lightbox.waitFor();
    await expect(
      lightbox.locator('img').evaluate((img: DecodableImage) => img.decode().then(() => img.naturalWidth)),
    ).resolves.toBe(800);
    await screenshot(alice, 'attachments-lightbox');
    // Focus stays in the lightbox however far one tabs.
    for (let i = 0; i < 5; i++) {
      await alice.keyboard.press('Tab');
      await expect(
        lightbox.evaluate((dialog) => dialog.contains(dialog.ownerDocument.activeElement)),
      ).resolves.toBe(true);
    }
    await alice.keyboard.press('Escape');
    await lightbox.waitFor({ state: 'detached' });
    await expect(thumbnail.evaluate((button) => button === button.ownerDocument.activeElement)).resolves.toBe(
      true,
    );

    // The file's URL, opened directly by someone who is not in the room.
    const url = new URL((await image.getAttribute('src'))!.replace(/\/thumbnail$/, ''), app.server.baseUrl)
      .href;
    const refused = await mallory.goto(url);
    expect(refused?.status()).toBe(404);
    expect((await mallory.request.get(`${url}/thumbnail`)).status()).toBe(404);
    const allowed = await alice.request.get(url);
    expect(allowed.status()).toBe(200);
    expect(Buffer.from(await allowed.body())).toEqual(png);
    expect(violations).toEqual([]);
  }, 60_000);

  it('should send files in a thread reply (button by keyboard, drop on the panel, paste) that the other person sees in the thread', async () => {
    const desktop = { viewport: { width: 1200, height: 800 } };
    const ann = await (await app.browser.newContext(desktop)).newPage();
    const bob = await (await app.browser.newContext(desktop)).newPage();
    await registerAccount(ann, app.server.baseUrl, 'thread-ann', 'wonderland');
    await registerAccount(bob, app.server.baseUrl, 'thread-bob', 'wonderland');
    await joinRoom(ann, 'floor-plans');
    await joinRoom(bob, 'floor-plans');
    await ann.locator('#message').fill('where do the desks go?');
    await ann.locator('#message').press('Enter');
    await messageOf(bob, 'where do the desks go?').waitFor();

    // Ann opens the thread with T and finds its file button with Shift+Tab from the field.
    await messageOf(ann, 'where do the desks go?').waitFor();
    await ann.locator('#messages').focus();
    await ann.keyboard.press('End');
    await ann.keyboard.press('t');
    const thread = ann.getByRole('complementary', { name: 'Thread' });
    await thread.getByLabel('Reply in thread').focus();
    await ann.keyboard.press('Shift+Tab');
    const attach = thread.getByRole('button', { name: 'Attach files to the reply' });
    await expect(attach.evaluate((button) => button === button.ownerDocument.activeElement)).resolves.toBe(
      true,
    );
    const png = await sharp({ create: { width: 800, height: 500, channels: 3, background: '#2f7d4f' } })
      .png()
      .toBuffer();
    const chooser = ann.waitForEvent('filechooser');
    await ann.keyboard.press('Enter');
    await (await chooser).setFiles({ name: 'plan.png', mimeType: 'image/png', buffer: png });
    const tray = thread.getByRole('list', { name: 'Files to send' });
    await tray.getByText('plan.png').waitFor();

    // A file dropped on the thread's root (not on the composer) is the reply's too.
    const dropped = await ann.evaluateHandle(`(() => {
      const data = new DataTransfer();
      data.items.add(new File(['desk 1: by the window'], 'desks.txt', { type: 'text/plain' }));
      return data;
    })()`);
    await thread.locator('.thread__root').dispatchEvent('drop', { dataTransfer: dropped });
    await tray.getByText('desks.txt').waitFor();
    // And a screenshot pasted into its field; the room's composer takes none of them.
    await ann.evaluate(`(${PASTE_FILE})(${JSON.stringify(png.toString('base64'))}, '#thread-message')`);
    await tray.getByText(/^Pasted .*\.png$/).waitFor();
    await expect(
      ann.locator('#message').locator('xpath=ancestor::form').getByRole('list').count(),
    ).resolves.toBe(0);
    await thread.getByLabel('Reply in thread').fill('like this');
    await thread.getByLabel('Reply in thread').press('Enter');
    await thread.getByRole('button', { name: 'Open image plan.png' }).waitFor();

    // Bob opens the thread from "1 reply" and sees the thumbnail, the card and the pasted image.
    await messageOf(bob, 'where do the desks go?')
      .getByRole('button', { name: /^1 reply/ })
      .click();
    const bobThread = bob.getByRole('complementary', { name: 'Thread' });
    const thumbnail = bobThread.getByRole('button', { name: 'Open image plan.png' });
    await thumbnail.waitFor();
    await expect(
      thumbnail.locator('img').evaluate((img: DecodableImage) => img.decode().then(() => img.naturalWidth)),
    ).resolves.toBe(320);
    await bobThread.getByRole('link', { name: /^Download desks\.txt 21 B · Text$/ }).waitFor();
    await bobThread.getByRole('button', { name: /^Open image Pasted .*\.png$/ }).waitFor();
    await expect(messageOf(bob, 'like this').count()).resolves.toBe(0);
    await saveScreen(bob, 'thread-attachments-desktop-light');

    // The lightbox from the thread: Escape closes it (not the thread), focus back on the thumbnail.
    await thumbnail.click();
    const lightbox = bob.getByRole('dialog', { name: 'plan.png' });
    await lightbox.waitFor();
    await bob.keyboard.press('Escape');
    await lightbox.waitFor({ state: 'detached' });
    await expect(thumbnail.evaluate((button) => button === button.ownerDocument.activeElement)).resolves.toBe(
      true,
    );
    await expect(bobThread.count()).resolves.toBe(1);
    for (const page of [ann, bob]) await page.context().close();
  }, 60_000);

  it('should keep a message with a file composed offline until the browser is back online, then upload and send it', async () => {
    const context = await app.browser.newContext();
    const page = await context.newPage();
    await registerAccount(page, app.server.baseUrl, 'offline-olga', 'wonderland');
    await context.setOffline(true);
    await page.locator('input[type=file]').setInputFiles({
      name: 'notes.txt',
      mimeType: 'text/plain',
      buffer: Buffer.from('written on the train'),
    });
    await page.getByRole('list', { name: 'Files to send' }).getByText('Waiting for the network…').waitFor();
    await page.locator('#message').fill('from the train');
    await page.locator('#message').press('Enter');
    await page
      .getByRole('status')
      .getByText(/Sends when its file is uploaded/)
      .waitFor();

    await context.setOffline(false);
    const card = page.getByRole('link', { name: /^Download notes\.txt 20 B · Text$/ });
    await card.waitFor();
    await page.locator('.message:not(.message--sending)', { hasText: 'from the train' }).waitFor();
    await expect(page.getByText(/Sends when its file/).count()).resolves.toBe(0);
    const served = await page.request.get(
      new URL((await card.getAttribute('href'))!, app.server.baseUrl).href,
    );
    expect(await served.text()).toBe('written on the train');
    expect(served.headers()['content-disposition']).toMatch(/^attachment/);
  }, 60_000);

  it('should show a progress bar per upload with cancel, and offer a retry after a failure', async () => {
    // bypassCSP only lets axe's script in (see axeViolations).
    const page = await (await app.browser.newContext({ bypassCSP: true })).newPage();
    await registerAccount(page, app.server.baseUrl, 'retrying-rita', 'wonderland');
    const file = (name: string) => ({
      name,
      mimeType: 'text/plain',
      buffer: Buffer.from(`contents of ${name}`),
    });
    const tray = page.getByRole('list', { name: 'Files to send' });

    // Held by the network: the bar shows, and Cancel drops the file.
    let release = () => undefined as void;
    const held = new Promise<void>((resolve) => (release = resolve));
    await page.route('**/api/uploads', async (route) => {
      await held;
      // The page's cancel has usually ended the request already.
      await route.abort().catch(() => undefined);
    });
    await page.locator('input[type=file]').setInputFiles(file('slow.txt'));
    await tray.getByRole('progressbar', { name: 'Uploading slow.txt' }).waitFor();
    await tray.getByRole('button', { name: 'Cancel upload of slow.txt' }).click();
    await tray.waitFor({ state: 'detached' });
    release();
    await page.unroute('**/api/uploads');

    // The server is down for the first try: the file says why, and Retry uploads it.
    let refusals = 1;
    await page.route('**/api/uploads', async (route) => {
      if (refusals-- > 0) {
        await route.fulfill({
          status: 503,
          contentType: 'application/json',
          body: JSON.stringify({ code: 'unavailable', message: 'storage is unavailable' }),
        });
      } else {
        await route.continue();
      }
    });
    await page.locator('input[type=file]').setInputFiles(file('flaky.txt'));
    await tray.getByRole('alert').getByText('Not uploaded: storage is unavailable').waitFor();
    await tray.getByRole('button', { name: 'Retry flaky.txt' }).click();
    await tray.getByText('Ready').waitFor();
    await page.locator('#message').press('Enter');
    await page.getByRole('link', { name: /^Download flaky\.txt 21 B · Text$/ }).waitFor();

    // A file card, an inline image and a failed upload, as a screen reader meets them.
    await page.locator('input[type=file]').setInputFiles({
      name: 'tiny.png',
      mimeType: 'image/png',
      buffer: await sharp({ create: { width: 40, height: 40, channels: 3, background: '#222' } })
        .png()
        .toBuffer(),
    });
    await tray.getByText('Ready').waitFor();
    await page.locator('#message').press('Enter');
    await page.getByRole('button', { name: 'Open image tiny.png' }).waitFor();
    await page
      .locator('input[type=file]')
      .setInputFiles({ name: 'empty.txt', mimeType: 'text/plain', buffer: Buffer.alloc(0) });
    await tray.getByRole('alert').getByText('Not uploaded: the file is empty').waitFor();
    const serious = (await axeViolations(page)).filter(
      (v) => v.impact === 'serious' || v.impact === 'critical',
    );
    expect(serious).toEqual([]);
  }, 60_000);

  it('should say why a file over the limit is refused (413 before the upload is through)', async () => {
    const page = await (await app.browser.newContext()).newPage();
    await registerAccount(page, app.server.baseUrl, 'big-bertha', 'wonderland');
    await page.locator('input[type=file]').setInputFiles({
      name: 'huge.log',
      mimeType: 'text/plain',
      buffer: Buffer.alloc(11 * 1024 * 1024, 'x'),
    });
    const tray = page.getByRole('list', { name: 'Files to send' });
    await tray
      .getByRole('alert')
      .getByText(/Not uploaded: .*at most 10485760 bytes/)
      .waitFor();
    // Refused as it is: no retry, and no sending until it is removed.
    await expect(tray.getByRole('button', { name: 'Retry huge.log' }).count()).resolves.toBe(0);
    await expect(page.getByRole('button', { name: 'Send', exact: true }).isDisabled()).resolves.toBe(true);
    await tray.getByRole('button', { name: 'Remove huge.log' }).click();
    await tray.waitFor({ state: 'detached' });
  }, 60_000);
});
