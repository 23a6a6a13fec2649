import type { IncomingMessage } from 'node:http';
import { parse } from 'cookie';
import { UnauthorizedError } from '../common/errors/chat-errors.js';

/**
 * The default name of the cookie that carries the token for browsers (HttpOnly: page scripts never
 * see it); AUTH_COOKIE_NAME changes it.
 */
export const SESSION_COOKIE = 'chat_token';

export interface SessionCookieOptions {
  httpOnly: true;
  sameSite: 'lax';
  secure: boolean;
  path: '/';
  maxAge?: number;
}

export function sessionCookieOptions(secure: boolean, maxAgeSeconds?: number): SessionCookieOptions {
  return {
    httpOnly: true,
    sameSite: 'lax',
    secure,
    path: '/',
    ...(maxAgeSeconds !== undefined && { maxAge: maxAgeSeconds * 1000 }),
  };
}

/**
 * The token of a request: `Authorization: Bearer …` (non-browser clients) or the session cookie.
 * An Authorization header that is there but is not a Bearer token is refused rather than
 * ignored: falling back to the cookie, or to no identity at all (a guest), would hide the
 * client's mistake and act as someone the client did not mean to be.
 */
export function tokenFromRequest(request: IncomingMessage, cookieName = SESSION_COOKIE): string | undefined {
  const authorization = request.headers.authorization;
  if (authorization !== undefined) {
    // The scheme name is case-insensitive (RFC 7235).
    const bearer = /^bearer\s+(\S+)\s*$/i.exec(authorization);
    if (!bearer) {
      throw new UnauthorizedError('the Authorization header must be "Bearer <token>": sign in again');
    }
    return bearer[1];
  }
  const cookies = request.headers.cookie;
  if (!cookies) return undefined;
  return parse(cookies)[cookieName] || undefined;
}
