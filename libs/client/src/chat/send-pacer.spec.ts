import { describe, expect, it } from '@jest/globals';
import { TokenBucket } from '../rate/token-bucket.js';
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

  it('should never be refused, however the way and the server bunch its frames (in order)', () => {
    let seed = 12345;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const { pacer, sent, advance } = pacerOnClock();
    pacer.connected(limits);
    for (const id of ids(100)) pacer.enqueue(id);
    // Each frame reaches the server never before the one sent before it; the server takes its
    // token then, and its ack comes back 1 ms later.
    // The way is quick (up to 20 ms) except when the server stalls (a lock, a GC pause): then it
    // reads nothing for 3.5 s, and everything sent meanwhile at once when it is back.
    const arrival = (sentAt: number) => {
      const inCycle = sentAt % 5000;
      return inCycle >= 500 && inCycle < 4000 ? sentAt - inCycle + 4000 : sentAt + Math.floor(random() * 20);
    };
    const received: { clientId: string; at: number }[] = [];
    let acked = 0;
    for (let now = 0; now < 120_000 && acked < 100; now++) {
      for (const [i, s] of sent.entries()) {
        if (i < received.length) continue;
        const at = Math.max(received.at(-1)?.at ?? 0, arrival(s.at));
        if (at > now) break;
        received.push({ clientId: s.clientId, at });
      }
      for (; acked < received.length && received[acked]!.at + 1 <= now; acked++)
        pacer.settled(received[acked]!.clientId);
      advance(1);
    }
    expect(received.map((r) => r.clientId)).toEqual(ids(100));
    expect(refusedBy(limits, received)).toBe(0);
  });

  it('should keep no more waiting for answers than the server’s burst leaves over', () => {
    const { pacer, sent } = pacerOnClock();
    pacer.connected({ sendRatePerSec: 10, sendBurst: 20 });
    for (const id of ids(30)) pacer.enqueue(id);
    // Half the burst at once, and in flight with another half-burst it never exceeds 20.
    expect(sent).toHaveLength(10);
    pacer.settled('c0');
    expect(sent).toHaveLength(10); // a place is free, but the bucket is empty
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
    pacer.connected({ sendRatePerSec: 1, sendBurst: 4 });
    for (const id of ids(5)) pacer.enqueue(id);
    expect(sent).toHaveLength(2);
    pacer.settled('c0'); // a place is free: now it waits for a token
    expect(pending()).toBe(1);
    pacer.reset();
    expect(pending()).toBe(0);
    expect(pacer.waiting).toBe(0);
    advance(10_000);
    expect(sent).toHaveLength(2);
    pacer.connected({ sendRatePerSec: 1, sendBurst: 4 });
    pacer.enqueue('c1');
    expect(sent.map((s) => s.clientId)).toEqual(['c0', 'c1', 'c1']);
  });

  it('should take a settled message out of the queue before its turn', () => {
    const { pacer, sent, advance } = pacerOnClock();
    pacer.connected({ sendRatePerSec: 1, sendBurst: 1 });
    for (const id of ids(3)) pacer.enqueue(id);
    pacer.settled('c1'); // its stored copy arrived (an earlier connection sent it)
    pacer.settled('c0');
    advance(5_000);
    expect(sent.map((s) => s.clientId)).toEqual(['c0', 'c2']);
  });
});
