import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from '@jest/globals';

const TRACKER = new URL('../bench/lib/delivery-tracker.mjs', import.meta.url).href;

/** Runs `body` (ES module code with `DeliveryTracker` in scope) in node and returns what it printed as JSON. */
async function run(body: string): Promise<unknown> {
  const script = `import { DeliveryTracker } from ${JSON.stringify(TRACKER)};\n${body}`;
  const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script]);
  return JSON.parse(stdout);
}

// The benchmark's exactly-once accounting: its lost and duplicated counts are the bench's verdicts.
describe('the benchmark delivery tracker', () => {
  it('should count lost, duplicated and foreign deliveries per receiver', async () => {
    const summary = await run(`
      const tracker = new DeliveryTracker(2);
      const ids = [tracker.nextId(0), tracker.nextId(0), tracker.nextId(1)];
      const a = tracker.addReceiver();
      const b = tracker.addReceiver();
      for (const id of ids) a.record(id);
      a.record(ids[0]);
      b.record(ids[2]);
      b.record('7.0');
      b.record(null);
      console.log(JSON.stringify(tracker.summarize()));
    `);
    expect(summary).toEqual({
      sent: 3,
      refused: 0,
      receivers: 2,
      expectedDeliveries: 6,
      lost: 2,
      duplicates: 1,
      foreign: 2,
      receiversMissing: 1,
    });
  });

  it("should count another room's message (an id its tracker never sent) as foreign", async () => {
    const summary = await run(`
      const rooms = [new DeliveryTracker(2), new DeliveryTracker(2)];
      const id = rooms[1].nextId(1);
      const here = rooms[0].addReceiver();
      rooms[0].nextId(0);
      here.record(id);
      console.log(JSON.stringify({ ...rooms[0].summarize(), allDelivered: rooms[0].allDelivered() }));
    `);
    expect(summary).toMatchObject({ sent: 1, lost: 1, foreign: 1, allDelivered: false });
  });

  it('should track a receiver that hears one of a thousand senders, past its first 256 messages', async () => {
    const summary = await run(`
      const tracker = new DeliveryTracker(1000);
      const receivers = Array.from({ length: 50 }, () => tracker.addReceiver());
      for (let n = 0; n < 600; n++) {
        const id = tracker.nextId(999);
        for (const receiver of receivers) if (n !== 300) receiver.record(id);
      }
      tracker.refuse('999.300');
      console.log(JSON.stringify({ ...tracker.summarize(), allDelivered: tracker.allDelivered() }));
    `);
    expect(summary).toMatchObject({ sent: 600, refused: 1, lost: 0, duplicates: 0, allDelivered: true });
  });
});
