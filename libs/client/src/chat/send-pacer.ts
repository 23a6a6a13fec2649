import type { Limits } from '@chat/contracts';
import { TokenBucket } from '../rate/token-bucket.js';

/**
 * What the pacer reads of the server's `welcome.limits`. `maxUnackedSends` is optional: servers
 * that do not publish it get {@link MAX_IN_FLIGHT}.
 */
export type PacingLimits = Pick<Limits, 'sendRatePerSec' | 'sendBurst'> & { maxUnackedSends?: number };

/**
 * Below the server's numbers on purpose: the server counts when it handles a frame, and frames
 * that left here evenly spaced can arrive bunched (a busy network, a server catching up).
 */
const RATE_MARGIN = 0.8;
const BURST_MARGIN = 0.5;
/**
 * Sends on the wire without an answer, at most (see `window`): 16 in flight is still 160
 * messages a second at a 100 ms round trip.
 */
export const MAX_IN_FLIGHT = 16;
const ourBurst = (sendBurst: number) => Math.max(1, Math.floor(sendBurst * BURST_MARGIN));
/** Until the welcome says otherwise: the documented defaults (10 a second, bursts of 20). */
const DEFAULT_LIMITS: PacingLimits = { sendRatePerSec: 10, sendBurst: 20 };

/**
 * Puts one queued message on the wire; false when it is not to be sent after all (its room is
 * not joined, the socket closed, it failed meanwhile), which spends nothing.
 */
export type Transmit = (clientId: string) => boolean;

export interface SendPacerOptions {
  transmit?: Transmit;
  now?: () => number;
  /** Timers, injectable for tests. */
  setTimer?: (callback: () => void, ms: number) => unknown;
  clearTimer?: (timer: unknown) => void;
}

/**
 * Paces a client's sends by the limits the server publishes, so that resending a long outbox
 * after a reconnect neither waits behind the server's rate (which delays what runs ahead of it)
 * nor meets an older server that refuses a flood: a token bucket copied from the server's (with
 * a margin), and a window of sends waiting for their answers.
 * In order, each clientId queued once. Framework-free: it knows nothing of React or sockets.
 */
export class SendPacer {
  private readonly queue: string[] = [];
  private readonly queued = new Set<string>();
  private readonly inFlight = new Set<string>();
  private limits: PacingLimits = DEFAULT_LIMITS;
  private bucket: TokenBucket;
  private timer: unknown;
  private readonly now: () => number;
  private readonly setTimer: (callback: () => void, ms: number) => unknown;
  private readonly clearTimer: (timer: unknown) => void;
  private transmit: Transmit;

  constructor(options: SendPacerOptions = {}) {
    this.transmit = options.transmit ?? (() => false);
    this.now = options.now ?? Date.now;
    this.setTimer = options.setTimer ?? ((callback, ms) => setTimeout(callback, ms));
    this.clearTimer = options.clearTimer ?? ((timer) => clearTimeout(timer as ReturnType<typeof setTimeout>));
    this.bucket = this.newBucket();
  }

  /** Replaces the transmit function: a React hook gives the latest socket and state after each render. */
  transmitWith(transmit: Transmit): void {
    this.transmit = transmit;
  }

  /**
   * A new connection and its limits (the welcome). The server's buckets are per connection and
   * start full, and nothing sent on the old socket will be answered: start over.
   */
  connected(limits: PacingLimits): void {
    this.limits = limits;
    this.reset();
  }

  /** The socket closed: forget the queue (the outbox is resent after the next join). */
  reset(): void {
    this.cancelTimer();
    this.queue.length = 0;
    this.queued.clear();
    this.inFlight.clear();
    this.bucket = this.newBucket();
  }

  /** Queues a message for sending (again); a message already queued keeps its place. */
  enqueue(clientId: string): void {
    if (this.queued.has(clientId)) return;
    this.queued.add(clientId);
    // A resend of one in flight (no answer came) goes first: it is older than anything queued,
    // and behind a full window it would wait for its own answer.
    if (this.inFlight.has(clientId)) this.queue.unshift(clientId);
    else this.queue.push(clientId);
    this.drain();
  }

  /** The server answered (ack, error, the stored copy): the message no longer holds a place. */
  settled(clientId: string): void {
    const wasInFlight = this.inFlight.delete(clientId);
    if (this.queued.delete(clientId)) this.queue.splice(this.queue.indexOf(clientId), 1);
    if (wasInFlight) this.drain();
  }

  /** Messages waiting for their turn (not yet on the wire). */
  get waiting(): number {
    return this.queue.length;
  }

  /**
   * How many may wait for their answer. With a send rate, also what the burst leaves over: the
   * server may find everything in flight bunched together with a fresh burst of ours, and
   * window + our burst <= its burst (with our rate below its rate) means it never refuses one,
   * however the network or its own load bunch them.
   */
  private get window(): number {
    const { maxUnackedSends, sendRatePerSec, sendBurst } = this.limits;
    const leftByBurst = sendRatePerSec > 0 ? sendBurst - ourBurst(sendBurst) : MAX_IN_FLIGHT;
    return Math.max(1, Math.min(maxUnackedSends ?? MAX_IN_FLIGHT, MAX_IN_FLIGHT, leftByBurst));
  }

  private drain(): void {
    this.cancelTimer();
    while (this.queue.length > 0) {
      const clientId = this.queue[0]!;
      // A resend of a message already in flight takes no new place in the window.
      if (!this.inFlight.has(clientId) && this.inFlight.size >= this.window) return; // settled() resumes
      const wait = this.bucket.msUntilToken(this.now());
      if (wait > 0) {
        this.timer = this.setTimer(() => {
          this.timer = undefined;
          this.drain();
        }, wait);
        return;
      }
      this.queue.shift();
      this.queued.delete(clientId);
      if (this.transmit(clientId)) {
        this.bucket.take(this.now());
        this.inFlight.add(clientId);
      }
    }
  }

  private newBucket(): TokenBucket {
    const { sendRatePerSec, sendBurst } = this.limits;
    return new TokenBucket(sendRatePerSec * RATE_MARGIN, ourBurst(sendBurst), this.now());
  }

  private cancelTimer(): void {
    if (this.timer === undefined) return;
    this.clearTimer(this.timer);
    this.timer = undefined;
  }
}
