import { createHash, timingSafeEqual } from 'node:crypto';
import type { Request } from 'express';
import { isLocalRequest } from '../metrics/metrics-access.js';

/**
 * Whether `request` comes from an operator: it brings `Authorization: Bearer <METRICS_TOKEN>`,
 * or it was made on this machine ({@link isLocalRequest}, the same check as /metrics).
 */
export function isOperator(request: Request, token: string | undefined): boolean {
  const bearer = /^bearer\s+(\S+)\s*$/i.exec(request.headers.authorization ?? '')?.[1];
  if (token !== undefined && bearer !== undefined && sameSecret(bearer, token)) return true;
  return isLocalRequest(request);
}

/** Compares digests, so neither the time taken nor a length mismatch says anything about the token. */
function sameSecret(given: string, expected: string): boolean {
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(given), digest(expected));
}
