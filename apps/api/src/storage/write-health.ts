import { Logger } from '@nestjs/common';

/** How long a failed write keeps /readyz at 503 when nothing tries to write again. */
export const WRITE_FAILURE_MEMORY_MS = 10_000;

/**
 * What the last writes said. A full disk or a read-only file shows only when something is
 * written (a `SELECT 1` still answers), so the stores report every commit here and /readyz asks.
 * A failure is forgotten after a successful write, or after {@link WRITE_FAILURE_MEMORY_MS}
 * without another attempt: an instance taken out of the balancer would otherwise never see the
 * write that proves it well again.
 */
export class WriteHealth {
  private failure: { reason: string; at: number } | null = null;
  private readonly logger = new Logger('Storage');

  constructor(
    private readonly memoryMs = WRITE_FAILURE_MEMORY_MS,
    private readonly now: () => number = Date.now,
  ) {}

  succeeded(): void {
    if (this.failure === null) return;
    this.failure = null;
    this.logger.log('writes succeed again');
  }

  /** Logged once per outage (when writes start failing), not once per refused message. */
  failed(reason: string): void {
    if (this.failing === null) this.logger.warn(`writes are failing (${reason}): sends get \`unavailable\``);
    this.failure = { reason, at: this.now() };
  }

  /** Why writes are failing, or null when the last write succeeded (or failed long enough ago). */
  get failing(): string | null {
    if (this.failure === null || this.now() - this.failure.at > this.memoryMs) return null;
    return this.failure.reason;
  }
}
