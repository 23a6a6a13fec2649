import { Logger } from '@nestjs/common';

/** Why a connection or an upgrade was turned away (also the metric's `reason` label). */
export type RefusalReason =
  'per_ip' | 'capacity' | 'headers_timeout' | 'unfinished' | 'request_timeout' | 'origin' | 'protocol';

/** At most one line per reason this often; the lines in between are counted, not dropped. */
const INTERVAL_MS = 10_000;

/**
 * A warning for every refused connection, rate-limited: during a flood of half-open sockets a
 * line per refusal would become the attack (the log fills the disk, the CPU goes to logging),
 * so each reason logs at once and then at most every 10 s, saying how many it left out.
 */
export class RefusalLog {
  private readonly windows = new Map<RefusalReason, { loggedAt: number; untold: number }>();

  constructor(
    private readonly onRefused?: (reason: RefusalReason) => void,
    private readonly warn: (line: string) => void = (line) => new Logger('Admission').warn(line),
    private readonly now: () => number = Date.now,
  ) {}

  refused(reason: RefusalReason, ip: string | undefined, detail: string): void {
    this.onRefused?.(reason);
    const now = this.now();
    const window = this.windows.get(reason);
    if (window && now - window.loggedAt < INTERVAL_MS) {
      window.untold++;
      return;
    }
    const untold = window?.untold ?? 0;
    this.windows.set(reason, { loggedAt: now, untold: 0 });
    const more =
      untold > 0 ? ` (${untold} more refused for this reason in the last ${INTERVAL_MS / 1000} s)` : '';
    this.warn(`refused a connection from ${ip ?? 'unknown'}: ${detail}${more}`);
  }
}
