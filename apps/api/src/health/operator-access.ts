import { createHash, timingSafeEqual } from 'node:crypto';
import type { Request } from 'express';
import { isLoopback } from '../metrics/metrics-access.js';

/** Headers a reverse proxy adds: a request carrying one came from somewhere else, whatever its socket says. */
const FORWARDING_HEADERS = ['x-forwarded-for', 'forwarded', 'x-real-ip'];

/**
 * Whether `request` comes from an operator: it brings `Authorization: Bearer <METRICS_TOKEN>`,
 * or it was made on this machine (a loopback socket and no proxy's forwarding headers, since a
 * proxy on the same host connects from loopback on behalf of anyone).
 */
export function isOperator(request: Request, token: string | undefined): boolean {
  const bearer = /^bearer\s+(\S+)\s*$/i.exec(request.headers.authorization ?? '')?.[1];
  if (token !== undefined && bearer !== undefined && sameSecret(bearer, token)) return true;
  if (FORWARDING_HEADERS.some((name) => request.headers[name] !== undefined)) return false;
  return isLoopback(request.socket.remoteAddress);
}

/** Compares digests, so neither the time taken nor a length mismatch says anything about the token. */
function sameSecret(given: string, expected: string): boolean {
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(given), digest(expected));
}
