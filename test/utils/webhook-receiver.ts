import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { WebhookPayload } from '@chat/contracts';

export interface ReceivedWebhook {
  id: string;
  timestamp: string;
  signature: string;
  headers: IncomingHttpHeaders;
  raw: string;
  body: WebhookPayload;
  /** The status this receiver answered (or 'hang': it never did). */
  answer: number | 'hang';
}

/** What the receiver answers a request: a status, or 'hang' (never answer). */
export type Answer = (request: { id: string; attempt: number; body: WebhookPayload }) => number | 'hang';

/**
 * A local webhook receiver (node:http) that records every request and answers what the test
 * says. Tests await what they expect with `until`, never a sleep.
 */
export class WebhookReceiver {
  readonly received: ReceivedWebhook[] = [];
  private readonly waiters = new Set<() => void>();
  private readonly hanging = new Set<ServerResponse>();

  private constructor(
    private readonly server: Server,
    public answer: Answer,
  ) {}

  static async start(answer: Answer = () => 200): Promise<WebhookReceiver> {
    const server = createServer();
    const receiver = new WebhookReceiver(server, answer);
    server.on('request', (request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        const id = String(request.headers['webhook-id']);
        const body = JSON.parse(raw) as WebhookPayload;
        const attempt = receiver.received.filter((r) => r.id === id).length + 1;
        const answer = receiver.answer({ id, attempt, body });
        receiver.received.push({
          id,
          timestamp: String(request.headers['webhook-timestamp']),
          signature: String(request.headers['webhook-signature']),
          headers: request.headers,
          raw,
          body,
          answer,
        });
        if (answer === 'hang') receiver.hanging.add(response);
        else response.writeHead(answer).end();
        for (const wake of receiver.waiters) wake();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return receiver;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hooks`;
  }

  /** The requests that were answered 2xx. */
  accepted(): ReceivedWebhook[] {
    return this.received.filter((r) => typeof r.answer === 'number' && r.answer < 300);
  }

  /** Resolves once `done(received)` holds; rejects after `timeoutMs` with what arrived. */
  until(done: (received: ReceivedWebhook[]) => boolean, timeoutMs = 10_000): Promise<void> {
    if (done(this.received)) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const check = () => {
        if (!done(this.received)) return;
        cleanup();
        resolve();
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(
          new Error(
            `webhooks did not arrive in ${timeoutMs} ms; got ${this.received.length}: ${this.received.map((r) => `${r.id}:${r.body.type}:${String(r.answer)}`).join(', ')}`,
          ),
        );
      }, timeoutMs);
      const cleanup = () => {
        clearTimeout(timer);
        this.waiters.delete(check);
      };
      this.waiters.add(check);
    });
  }

  async close(): Promise<void> {
    for (const response of this.hanging) response.destroy();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/** Polls `condition` every 25 ms until it holds (an awaited state, not a sleep); rejects after `timeoutMs`. */
export async function eventually(
  condition: () => Promise<boolean> | boolean,
  what: string,
  timeoutMs = 10_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`${what} did not happen within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
