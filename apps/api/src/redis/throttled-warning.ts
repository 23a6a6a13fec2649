import type { Logger } from '@nestjs/common';

/**
 * Logs a recurring problem at most once per interval, saying how often it happened meanwhile:
 * while Redis is down every publish fails, and one line per failure would drown the log.
 */
export class ThrottledWarning {
  private lastAt = Number.NEGATIVE_INFINITY;
  private suppressed = 0;

  constructor(
    private readonly logger: Pick<Logger, 'warn'>,
    private readonly intervalMs = 10_000,
  ) {}

  warn(message: string): void {
    const now = Date.now();
    if (now - this.lastAt < this.intervalMs) {
      this.suppressed++;
      return;
    }
    const more = this.suppressed > 0 ? ` (${this.suppressed} more since the last warning)` : '';
    this.lastAt = now;
    this.suppressed = 0;
    this.logger.warn(`${message}${more}`);
  }
}
