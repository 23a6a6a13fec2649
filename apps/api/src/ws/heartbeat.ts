import type { ChatConnection } from './chat-connection.js';

/**
 * Pings every connection each interval and cuts the ones that stayed silent (no frame, no pong)
 * for two intervals: a dead peer behind a NAT or a sleeping laptop would otherwise hold its
 * socket and its memory forever.
 */
export class Heartbeat {
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly connections: ReadonlySet<ChatConnection>,
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
    const silentSince = Date.now() - 2 * this.intervalMs;
    for (const connection of this.connections) {
      if (connection.lastSeenAt < silentSince) {
        connection.terminate();
      } else {
        connection.ping();
      }
    }
  }
}
