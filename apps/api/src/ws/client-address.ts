import type { IncomingMessage } from 'node:http';

/**
 * The client's IP address. Behind a reverse proxy (TRUST_PROXY=true) it is the first address of
 * X-Forwarded-For, otherwise the socket's peer: trusting that header without a proxy would let
 * any client pick its own address and dodge per-IP limits.
 */
export function clientAddress(request: IncomingMessage, trustProxy: boolean): string {
  return forwardedAddress(request, trustProxy) ?? request.socket.remoteAddress ?? 'unknown';
}

/** The address a trusted proxy put first in X-Forwarded-For; undefined without one. */
export function forwardedAddress(request: IncomingMessage, trustProxy: boolean): string | undefined {
  if (!trustProxy) return undefined;
  const forwarded = request.headers['x-forwarded-for'];
  return (Array.isArray(forwarded) ? forwarded[0] : forwarded)?.split(',')[0]?.trim() || undefined;
}
