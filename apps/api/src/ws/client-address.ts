import type { IncomingMessage } from 'node:http';
import { resolveClientAddress, type ProxyTrustFn } from '../common/net/proxy-trust.js';

/**
 * The client's IP address: the socket's peer, or behind trusted proxies (TRUST_PROXY) the
 * right-most X-Forwarded-For address that is not one of them. Trusting the header further left,
 * or without a proxy, would let any client pick its own address and dodge per-IP limits.
 */
export function clientAddress(request: IncomingMessage, trust: ProxyTrustFn): string {
  return forwardedAddress(request, trust) ?? request.socket.remoteAddress ?? 'unknown';
}

/** The client's address as the trusted proxies told it; undefined when it is the socket's peer. */
export function forwardedAddress(request: IncomingMessage, trust: ProxyTrustFn): string | undefined {
  const peer = request.socket.remoteAddress;
  const resolved = resolveClientAddress(peer, request.headers['x-forwarded-for'], trust);
  return resolved === peer ? undefined : resolved;
}
