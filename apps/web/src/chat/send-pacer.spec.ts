import { describe, expect, it } from '@jest/globals';
import { TokenBucket } from '../lib/rate/token-bucket.js';
import { MAX_IN_FLIGHT, SendPacer, type PacingLimits } from './send-pacer.js';

const ids = (n: number) => Array.from({ length: n }, (_, i) => `c${i}`);

/** A pacer on a hand-driven clock; `advance` fires due timers in order. */
function pacerOnClock(transmit: (clientId: string) => boolean = () => true) {
  let now = 0;
  let timers: { at: number; callback: () => void; id: number }[] = [];
  let nextId = 0;
  const sent: { clientId: string; at: number }[] = [];
  const pacer = new SendPacer({
    transmit: (clientId) => {
      const ok = transmit(clientId);
      if (ok) sent.push({ clientId, at: now });
      return ok;
    },
    now: () => now,
    setTimer: (callback, ms) => {
      timers.push({ at: now + ms, callback, id: ++nextId });
      return nextId;
    },
    clearTimer: (id) => {
      timers = timers.filter((t) => t.id !== id);
    },
  });
  const advance = (ms: number) => {
    const until = now + ms;
    for (;;) {
      const due = timers.filter((t) => t.at <= until).sort((a, b) => a.at - b.at)[0];
      if (!due) break;
      timers = timers.filter((t) => t !== due);
      now = due.at;
      due.callback();
    }
    now = until;
  };
  return { pacer, sent, advance, pending: () => timers.length };
}

/** The server's own bucket, replayed over what was sent: how many it would have refused. */
function refusedBy(limits: PacingLimits, sent: { at: number }[]): number {
  const server = new TokenBucket(limits.sendRatePerSec, limits.sendBurst, sent[0]?.at ?? 0);
  return sent.filter((s) => !server.take(s.at)).length;
}

describe(SendPacer.name, () => {
  const limits: PacingLimits = { sendRatePerSec: 10, sendBurst: 20 };

  it('should send an outbox of 100 in order, within the server’s rate and burst, none refused', () => {
    const { pacer, sent, advance } = pacerOnClock();
    pacer.connected(limits);
    for (const id of ids(100)) pacer.enqueue(id);
    // Answers come 5 ms after each send, as a server would ack them.
    for (let t = 0; t < 60_000 && sent.length < 100; t += 5) {
      for (const s of sent) pacer.settled(s.clientId);
      advance(5);
    }
    expect(sent.map((s) => s.clientId)).toEqual(ids(100));
    expect(refusedBy(limits, sent)).toBe(0);
    // And not much slower than the limit allows: 10 a second, with the margin.
    expect(sent.at(-1)!.at).toBeLessThan((100 / (10 * 0.8)) * 1000 + 1000);
  });

  it('should keep at most maxUnackedSends (or its own cap) waiting for answers', () => {
    const { pacer, sent, advance } = pacerOnClock();
    pacer.connected({ ...limits, sendRatePerSec: 0, maxUnackedSends: 3 });
    for (const id of ids(10)) pacer.enqueue(id);
    advance(10_000);
    expect(sent).toHaveLength(3);
    pacer.settled('c0');
    expect(sent.map((s) => s.clientId)).toEqual(['c0', 'c1', 'c2', 'c3']);

    const capped = pacerOnClock();
    capped.pacer.connected({ sendRatePerSec: 0, sendBurst: 0 });
    for (const id of ids(100)) capped.pacer.enqueue(id);
    expect(capped.sent).toHaveLength(MAX_IN_FLIGHT);
  });

  it('should queue each clientId once, and let a resend of one in flight through a full window', () => {
    const { pacer, sent } = pacerOnClock();
    pacer.connected({ sendRatePerSec: 0, sendBurst: 0, maxUnackedSends: 1 });
    pacer.enqueue('a');
    pacer.enqueue('b');
    pacer.enqueue('b');
    expect(pacer.waiting).toBe(1);
    pacer.enqueue('a'); // resent: no ack came
    expect(sent.map((s) => s.clientId)).toEqual(['a', 'a']);
    pacer.settled('a');
    expect(sent.map((s) => s.clientId)).toEqual(['a', 'a', 'b']);
  });

  it('should spend nothing on a message that is not sent after all, and drop it from the queue', () => {
    const { pacer, sent } = pacerOnClock((id) => id !== 'skip');
    pacer.connected({ sendRatePerSec: 10, sendBurst: 2 });
    pacer.enqueue('skip');
    pacer.enqueue('a');
    expect(sent.map((s) => s.clientId)).toEqual(['a']);
    expect(pacer.waiting).toBe(0);
  });

  it('should start over on a new connection, and stop its timer when the socket closes', () => {
    const { pacer, sent, advance, pending } = pacerOnClock();
    pacer.connected({ sendRatePerSec: 1, sendBurst: 2 });
    for (const id of ids(5)) pacer.enqueue(id);
    expect(sent).toHaveLength(1);
    expect(pending()).toBe(1);
    pacer.reset();
    expect(pending()).toBe(0);
    expect(pacer.waiting).toBe(0);
    advance(10_000);
    expect(sent).toHaveLength(1);
    pacer.connected({ sendRatePerSec: 1, sendBurst: 2 });
    pacer.enqueue('c1');
    expect(sent.map((s) => s.clientId)).toEqual(['c0', 'c1']);
  });

  it('should take a settled message out of the queue before its turn', () => {
    const { pacer, sent, advance } = pacerOnClock();
    pacer.connected({ sendRatePerSec: 1, sendBurst: 1 });
    for (const id of ids(3)) pacer.enqueue(id);
    pacer.settled('c1'); // its stored copy arrived (an earlier connection sent it)
    advance(5_000);
    expect(sent.map((s) => s.clientId)).toEqual(['c0', 'c2']);
  });
});
