import type { IncomingMessage } from 'node:http';

/**
 * The client's IP address. Behind a reverse proxy (TRUST_PROXY=true) it is the first address of
 * X-Forwarded-For, otherwise the socket's peer: trusting that header without a proxy would let
 * any client pick its own address and dodge per-IP limits.
 */
export function clientAddress(request: IncomingMessage, trustProxy: boolean): string {
  if (trustProxy) {
    const forwarded = request.headers['x-forwarded-for'];
    const first = (Array.isArray(forwarded) ? forwarded[0] : forwarded)?.split(',')[0]?.trim();
    if (first) return first;
  }
  return request.socket.remoteAddress ?? 'unknown';
}
