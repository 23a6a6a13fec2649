import { expect, it } from '@jest/globals';
import type { Page } from 'playwright-core';
import { browserAvailability, messageTexts, signInAsGuest } from '../utils/browser.js';
import { browserAndServerProcess } from '../utils/browser-and-server.js';
import { Bystander, describeBystander, type BystanderReport } from '../utils/bystander.js';
import { describeWithService } from '../utils/services.js';

/** More than the default SEND_BURST (20), and more than a second of SEND_RATE_PER_SEC (10). */
const OUTBOX = 100;

interface PageStorage {
  localStorage: { key(i: number): string | null; length: number; setItem(k: string, v: string): void };
}

interface WireLog {
  acks: Set<string>;
  errors: string[];
  closes: number;
  /** Resolves once every clientId in `expected` has its ack, or at the first error frame or close. */
  settled: Promise<void>;
}

/** Watches the page's WebSockets: the acks it receives, every error frame, every close. */
function watchWire(page: Page, expected: Set<string>): WireLog {
  let resolve = () => undefined as void;
  const log: WireLog = {
    acks: new Set(),
    errors: [],
    closes: 0,
    settled: new Promise<void>((r) => (resolve = r)),
  };
  page.on('websocket', (socket) => {
    socket.on('framereceived', ({ payload }) => {
      const frame = JSON.parse(payload.toString()) as { event: string; data: { clientId?: string } };
      if (frame.event === 'error') {
        log.errors.push(payload.toString());
        resolve();
      }
      if (frame.event !== 'ack' || !frame.data.clientId || !expected.has(frame.data.clientId)) return;
      log.acks.add(frame.data.clientId);
      if (log.acks.size === expected.size) resolve();
    });
    socket.on('close', () => {
      log.closes++;
      resolve();
    });
  });
  return log;
}

describeWithService(
  'in the browser: resending a long outbox after a reconnect',
  browserAvailability(),
  () => {
    const app = browserAndServerProcess();

    it(`should get all ${OUTBOX} messages of a restored outbox acknowledged under the default limits, none refused, never closed`, async () => {
      const page = await app.newPage();
      await signInAsGuest(page, app.server.baseUrl, 'Offline writer');

      // What a user who wrote 100 messages while offline leaves in storage (see persistence.ts).
      const outbox = Array.from({ length: OUTBOX }, (_, i) => ({
        clientId: `outbox-${String(i).padStart(3, '0')}`,
        room: 'general',
        text: `written offline #${i}`,
        status: 'sending',
        createdAt: new Date().toISOString(),
      }));
      await page.evaluate((pending) => {
        const { localStorage: storage } = globalThis as unknown as PageStorage;
        for (let i = 0; i < storage.length; i++) {
          const key = storage.key(i);
          if (key?.startsWith('chat.rooms.'))
            storage.setItem(key.replace('chat.rooms.', 'chat.outbox.'), JSON.stringify(pending));
        }
      }, outbox);

      const wire = watchWire(page, new Set(outbox.map((p) => p.clientId)));
      const bystander = await Bystander.start(app.server.wsUrl);
      let report: BystanderReport;
      try {
        await page.reload();
        await wire.settled;
      } finally {
        report = await bystander.stop();
      }
      console.log(describeBystander(`a restored outbox of ${OUTBOX} resent by the web app`, report));
      expect(report.unanswered).toBe(0);

      expect(wire.errors).toEqual([]);
      expect(wire.closes).toBe(0);
      expect(wire.acks.size).toBe(OUTBOX);
      // Stored once each, in the order written.
      await page.locator('.message--sending').first().waitFor({ state: 'detached' });
      await expect(messageTexts(page)).resolves.toEqual(outbox.map((p) => p.text));
    }, 90_000);
  },
);
