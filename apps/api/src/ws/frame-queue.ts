import { WebSocket } from 'ws';
import type { ChatSocket } from './chat-socket.js';

/**
 * Frames are handled one after another per connection, so answers come back in order. When this
 * many are waiting, the connection stops reading from its socket (TCP pushes back on the client)
 * until the backlog is down to RESUME_READING_AT. It also stops reading while a frame waits for
 * the connection's frame or send rate, or for the client to read what was sent to it. Nothing is
 * refused for coming too fast, and the backlog is bounded: once a socket is paused, ws parses at
 * most the rest of the chunk it has already read (64 KiB).
 */
const PAUSE_READING_AT = 64;
const RESUME_READING_AT = 16;
/** Pongs queued per connection at most; past it, only the newest ping is remembered. */
const MAX_QUEUED_PINGS = 8;

export type RateLimitName = 'frame' | 'send';

export interface FrameQueueOptions {
  /** True once the server shuts down: what was received is then handled without waiting. */
  closing: () => boolean;
  /** A frame waits for its connection's frame or send rate (it is delayed, not refused). */
  onRateDelayed?: (limit: RateLimitName) => void;
}

/** Each connection's frames, in order and at the pace its limits allow (state lives on the socket). */
export class FrameQueue {
  constructor(private readonly options: FrameQueueOptions) {}

  /** Queues `work` behind the connection's earlier frames. */
  push(socket: ChatSocket, work: () => Promise<void>): void {
    if (++socket.waiting >= PAUSE_READING_AT && !socket.isPaused) socket.pause();
    // An idle connection handles the frame at once; a busy one after the frames before it.
    socket.queue =
      socket.waiting === 1 || !socket.queue
        ? this.handle(socket, work)
        : socket.queue.then(() => this.handle(socket, work));
  }

  /**
   * Queues the answer to a WebSocket ping like any frame. A flood of pings queues at most
   * MAX_QUEUED_PINGS answers; the last of them answers the newest ping (a pong may answer only
   * the latest ping, RFC 6455 section 5.5.3).
   */
  pushPing(socket: ChatSocket, payload: Buffer): void {
    // A copy: the payload is a view of ws's whole read buffer.
    const own = Buffer.from(payload);
    if (socket.queuedPings >= MAX_QUEUED_PINGS) {
      socket.newestPing = own;
      return;
    }
    socket.queuedPings++;
    this.push(socket, async () => {
      const last = --socket.queuedPings === 0;
      const answer = last && socket.newestPing ? socket.newestPing : own;
      if (last) socket.newestPing = undefined;
      socket.connection!.pong(answer);
    });
  }

  /**
   * Waits until the rate has a token for this frame, not reading the socket meanwhile: a client
   * over a rate is slowed down by TCP, never refused, and a flood costs only a paused socket.
   * Undefined when a token was there: the common case costs no promise.
   */
  waitForRate(socket: ChatSocket, limit: RateLimitName, take: () => number): Promise<void> | undefined {
    const first = take();
    if (first === 0) return undefined;
    this.options.onRateDelayed?.(limit);
    socket.pause();
    return (async () => {
      for (let wait = first; wait > 0 && this.isWaiting(socket); wait = take()) await delay(wait);
    })();
  }

  private async handle(socket: ChatSocket, work: () => Promise<void>): Promise<void> {
    try {
      const connection = socket.connection!;
      const rate = this.waitForRate(socket, 'frame', () => connection.rateLimits.frameWait());
      if (rate) await rate;
      // On shutdown what was received is handled at once: its acks must go out before the close.
      const writable = this.options.closing() ? undefined : connection.whenWritable();
      if (writable) {
        socket.pause();
        await writable;
      }
      await work();
    } finally {
      if (--socket.waiting <= RESUME_READING_AT && socket.isPaused) socket.resume();
    }
  }

  private isWaiting(socket: ChatSocket): boolean {
    return socket.readyState === WebSocket.OPEN && !this.options.closing();
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
