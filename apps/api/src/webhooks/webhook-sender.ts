import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import { isIP } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { isPrivateAddress } from './private-address.js';

export type DeliveryResult = { ok: true } | { ok: false; error: string; aborted?: true };

export interface SendOptions {
  timeoutMs: number;
  allowPrivate: boolean;
  signal: AbortSignal;
}

/** How much of a receiver's answer is read (and dropped): it is never looked at beyond the status. */
const MAX_ANSWER_BYTES = 64 * 1024;

/**
 * One attempt: POSTs `body` with the Standard Webhooks headers, signed with the endpoint's
 * secret. Success is a 2xx within `timeoutMs`; redirects are not followed (a redirect could
 * point anywhere). Unless private addresses are allowed, the address the name resolves to at
 * connect time is checked, so a name that changed to 127.0.0.1 after it was added is refused.
 */
export function sendWebhook(
  target: { url: string; secret: string },
  webhookId: string,
  body: string,
  options: SendOptions,
): Promise<DeliveryResult> {
  try {
    return attempt(target, webhookId, body, options);
  } catch (error) {
    // A URL or secret the store holds but Node refuses: a failed attempt, not a stuck stream.
    return Promise.resolve({ ok: false, error: error instanceof Error ? error.message : String(error) });
  }
}

function attempt(
  target: { url: string; secret: string },
  webhookId: string,
  body: string,
  options: SendOptions,
): Promise<DeliveryResult> {
  const url = new URL(target.url);
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  if (!options.allowPrivate && isIP(host) !== 0 && isPrivateAddress(host)) {
    return Promise.resolve({
      ok: false,
      error: `refused: ${host} is a private address (WEBHOOK_ALLOW_PRIVATE)`,
    });
  }
  const now = new Date();
  const signature = new Webhook(target.secret).sign(webhookId, now, body);
  const client = url.protocol === 'https:' ? https : http;
  return new Promise<DeliveryResult>((resolve) => {
    let settled = false;
    const finish = (result: DeliveryResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(result);
    };
    const request = client.request(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'content-length': Buffer.byteLength(body),
        'user-agent': 'chat-webhooks/1',
        'webhook-id': webhookId,
        'webhook-timestamp': String(Math.floor(now.getTime() / 1000)),
        'webhook-signature': signature,
      },
      signal: options.signal,
      ...(!options.allowPrivate && { lookup: publicOnlyLookup }),
    });
    // The whole attempt, connect to answer: a receiver that never answers costs this long, once.
    const timer = setTimeout(() => {
      finish({ ok: false, error: `no answer within ${options.timeoutMs} ms` });
      request.destroy();
    }, options.timeoutMs);
    request.on('response', (response) => {
      const status = response.statusCode ?? 0;
      let read = 0;
      response.on('data', (chunk: Buffer) => {
        read += chunk.length;
        if (read > MAX_ANSWER_BYTES) response.destroy();
      });
      response.on('error', () => undefined);
      finish(status >= 200 && status < 300 ? { ok: true } : { ok: false, error: `answered ${status}` });
      response.resume();
    });
    request.on('error', (error) => {
      if (options.signal.aborted) finish({ ok: false, error: 'shutting down', aborted: true });
      else finish({ ok: false, error: error.message });
    });
    request.end(body);
  });
}

type LookupCallback = (
  error: NodeJS.ErrnoException | null,
  address: string | LookupAddress[],
  family?: number,
) => void;

function publicOnlyLookup(hostname: string, options: object, callback: LookupCallback): void {
  dnsLookup(hostname, { ...options, all: true }, (error, addresses) => {
    if (error) return callback(error, []);
    const refused = addresses.find((a) => isPrivateAddress(a.address));
    if (refused) {
      return callback(
        Object.assign(
          new Error(
            `refused: ${hostname} resolves to the private address ${refused.address} (WEBHOOK_ALLOW_PRIVATE)`,
          ),
          {
            code: 'EPRIVATE',
          },
        ),
        [],
      );
    }
    if ((options as { all?: boolean }).all) return callback(null, addresses);
    const first = addresses[0];
    if (!first)
      return callback(Object.assign(new Error(`${hostname} did not resolve`), { code: 'ENOTFOUND' }), []);
    callback(null, first.address, first.family);
  });
}
