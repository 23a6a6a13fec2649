import type { IncomingMessage } from 'node:http';
import { parse } from 'cookie';

/** The cookie that carries the token for browsers (HttpOnly: page scripts never see it). */
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

/** The token of a request: `Authorization: Bearer …` (non-browser clients) or the session cookie. */
export function tokenFromRequest(request: IncomingMessage): string | undefined {
  // The scheme name is case-insensitive (RFC 7235).
  const bearer = /^bearer\s+(\S+)\s*$/i.exec(request.headers.authorization ?? '');
  if (bearer) return bearer[1];
  const cookies = request.headers.cookie;
  if (!cookies) return undefined;
  return parse(cookies)[SESSION_COOKIE] || undefined;
}
