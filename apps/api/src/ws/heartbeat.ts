import type { ClientConnection } from './client-connection.js';

/** Beats a peer may miss; it is cut on the next one, so after two to three intervals of silence. */
const MAX_MISSED_BEATS = 2;

/**
 * Pings every connection each interval and cuts the ones that stayed silent (no frame, no pong)
 * for two intervals: a dead peer behind a NAT or a sleeping laptop would otherwise hold its
 * socket and its memory forever. Signs of life reset the connection's count of missed beats
 * (a small integer rather than a time stamp: no heap number per connection).
 */
export class Heartbeat {
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly connections: ReadonlySet<ClientConnection>,
    private readonly intervalMs: number,
  ) {}

  start(): void {
    this.timer = setInterval(() => this.beat(), this.intervalMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  private beat(): void {
    for (const connection of this.connections) {
      if (connection.missedBeats >= MAX_MISSED_BEATS) {
        connection.terminate();
      } else {
        connection.missedBeats++;
        connection.ping();
      }
    }
  }
}
