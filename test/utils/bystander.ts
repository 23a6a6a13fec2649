import { TestClient } from './test-client.js';

/** What a bystander saw while an attack ran: round trips of `ping` → `pong`, in milliseconds. */
export interface BystanderReport {
  samples: number;
  medianMs: number;
  p99Ms: number;
  maxMs: number;
  /** Pings that got no pong before `stop()`. */
  unanswered: number;
}

/**
 * An honest client that keeps pinging while a test attacks the server, so the suite can report
 * how the attack felt to everyone else. Tests print the report (for the notes) and assert only
 * what does not depend on timing: the bystander stayed connected and every ping was answered.
 */
export class Bystander {
  private readonly rtts: number[] = [];
  private readonly sentAt = new Map<number, number>();
  private timer: NodeJS.Timeout | undefined;
  private next = 0;

  private constructor(readonly client: TestClient) {
    client.socket.on('message', (raw) => {
      const frame = JSON.parse(raw.toString()) as { event?: string; data?: { t?: number } };
      const t = frame.event === 'pong' ? frame.data?.t : undefined;
      const sent = t === undefined ? undefined : this.sentAt.get(t);
      if (t === undefined || sent === undefined) return;
      this.sentAt.delete(t);
      this.rtts.push(performance.now() - sent);
    });
  }

  /** Connects (as a guest unless `options` say otherwise) and starts pinging every `intervalMs`. */
  static async start(wsUrl: string, intervalMs = 50, options = {}): Promise<Bystander> {
    const client = await TestClient.connect(wsUrl, { name: 'bystander', ...options });
    await client.next('welcome');
    const bystander = new Bystander(client);
    bystander.timer = setInterval(() => bystander.ping(), intervalMs);
    return bystander;
  }

  /** Stops pinging, waits briefly for the last pongs and closes; returns what was seen. */
  async stop(graceMs = 2000): Promise<BystanderReport> {
    clearInterval(this.timer);
    const deadline = Date.now() + graceMs;
    while (this.sentAt.size > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    const unanswered = this.sentAt.size;
    await this.client.close();
    const sorted = [...this.rtts].sort((a, b) => a - b);
    const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
    return {
      samples: sorted.length,
      medianMs: round(at(0.5)),
      p99Ms: round(at(0.99)),
      maxMs: round(sorted.at(-1) ?? NaN),
      unanswered,
    };
  }

  private ping(): void {
    if (this.client.socket.readyState !== this.client.socket.OPEN) return;
    const t = ++this.next;
    this.sentAt.set(t, performance.now());
    this.client.send('ping', { t });
  }
}

/** One line for the test log: `bystander during <what>: median 1.2 ms, p99 8.0 ms, ...`. */
export function describeBystander(what: string, report: BystanderReport): string {
  return (
    `bystander during ${what}: median ${report.medianMs} ms, p99 ${report.p99Ms} ms, ` +
    `max ${report.maxMs} ms over ${report.samples} pings (${report.unanswered} unanswered)`
  );
}

function round(ms: number): number {
  return Math.round(ms * 10) / 10;
}
