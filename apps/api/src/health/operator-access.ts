import { createHash, timingSafeEqual } from 'node:crypto';
import type { Request } from 'express';

/** Headers a reverse proxy adds: a request carrying one came from somewhere else, whatever its socket says. */
const FORWARDING_HEADERS = ['x-forwarded-for', 'forwarded', 'x-real-ip'];

/**
 * Whether `request` comes from an operator: it brings `Authorization: Bearer <METRICS_TOKEN>`,
 * or it was made on this machine (a loopback socket and no proxy's forwarding headers, since a
 * proxy on the same host connects from loopback on behalf of anyone).
 */
export function isOperator(request: Request, token: string | undefined): boolean {
  const header = request.headers.authorization;
  if (token && header?.startsWith('Bearer ') && sameSecret(header.slice('Bearer '.length), token)) {
    return true;
  }
  if (FORWARDING_HEADERS.some((name) => request.headers[name] !== undefined)) return false;
  return isLoopback(request.socket.remoteAddress);
}

function isLoopback(address: string | undefined): boolean {
  if (!address) return false;
  const v4 = address.startsWith('::ffff:') ? address.slice('::ffff:'.length) : address;
  return v4.startsWith('127.') || address === '::1';
}

/** Compares digests, so neither the time taken nor a length mismatch says anything about the token. */
function sameSecret(given: string, expected: string): boolean {
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(given), digest(expected));
}
