import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { isIP } from 'node:net';
import type { ProxyTrustFn } from '../common/net/proxy-trust.js';

export interface MetricsAccessOptions {
  /** METRICS_TOKEN: scrapers send `Authorization: Bearer <token>`. */
  token: string | undefined;
  /** METRICS_PORT is set: the main port does not serve /metrics at all. */
  ownPort: boolean;
}

export type MetricsVerdict = { ok: true } | { ok: false; status: 401 | 404; message: string };

/**
 * Who may read /metrics (connection counts, rates, memory: a map for an attacker). On its own
 * port (METRICS_PORT) whoever reaches that port, with the token when one is set; on the main
 * port the token's holders, or with no token loopback clients only (a scraper on the same
 * machine), everyone else being told it does not exist.
 */
export function metricsVerdict(
  options: MetricsAccessOptions,
  port: 'main' | 'metrics',
  authorization: string | undefined,
  clientIp: string | undefined,
): MetricsVerdict {
  if (port === 'main' && options.ownPort) return { ok: false, status: 404, message: 'not found' };
  if (options.token !== undefined) {
    const bearer = /^bearer\s+(\S+)\s*$/i.exec(authorization ?? '')?.[1];
    if (bearer !== undefined && sameSecret(bearer, options.token)) return { ok: true };
    return {
      ok: false,
      status: 401,
      message: 'send the metrics token as Authorization: Bearer <METRICS_TOKEN>',
    };
  }
  if (port === 'metrics' || isLoopback(clientIp)) return { ok: true };
  return { ok: false, status: 404, message: 'not found' };
}

/** Compared as digests: equal length, constant time, whatever the caller sent. */
function sameSecret(given: string, expected: string): boolean {
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(given), digest(expected));
}

/**
 * Whether `request` was made on this machine: its client address (req.ip, which follows
 * X-Forwarded-For only from trusted proxies) is loopback, and no proxy's header says it came from
 * elsewhere. A proxy on the same host connects from loopback on behalf of anyone: X-Forwarded-For
 * from a peer that is not a trusted proxy, and X-Real-IP or Forwarded (which nothing here
 * resolves) make the request not local. Used by /metrics and /readyz's operator check alike.
 */
export function isLocalRequest(request: IncomingMessage & { ip?: string; app?: unknown }): boolean {
  if (request.headers['x-real-ip'] !== undefined || request.headers.forwarded !== undefined) return false;
  const peer = request.socket.remoteAddress;
  if (request.headers['x-forwarded-for'] !== undefined) {
    const app = request.app as { get?: (name: string) => unknown } | undefined;
    const trust = app?.get?.('trust proxy fn') as ProxyTrustFn | undefined;
    if (peer === undefined || trust === undefined || !trust(peer, 0)) return false;
    return isLoopback(request.ip);
  }
  return isLoopback(request.ip ?? peer);
}

export function isLoopback(ip: string | undefined): boolean {
  if (ip === undefined) return false;
  const plain = ip.toLowerCase().startsWith('::ffff:') ? ip.slice(7) : ip;
  if (isIP(plain) === 4) return plain.startsWith('127.');
  return plain === '::1';
}
