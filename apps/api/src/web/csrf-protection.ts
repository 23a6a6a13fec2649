import type { ErrorCode } from '@chat/contracts';
import { parse } from 'cookie';
import type { NextFunction, Request, Response } from 'express';
import { SESSION_COOKIE } from '../auth/session-cookie.js';
import { UPLOADS_ROUTE } from '../attachments/uploads-route.js';
import type { OriginAllowList } from '../common/net/origin-allow-list.js';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Cross-site request forgery, refused before the body is parsed. A browser attaches the session
 * cookie to requests that another page starts (SameSite=Lax still sends it from another port of
 * the same host, and to form posts that navigate), so every state change (any method but GET,
 * HEAD and OPTIONS, on any path: all of them are under /api today) that a browser could have
 * sent must
 *  - carry JSON (415 otherwise): forms and `no-cors` fetches can only send form or text bodies,
 *    and a cross-origin JSON request needs a CORS preflight, which this server never grants;
 *  - come from an allowed origin (403 otherwise): `Origin` checked against the same allow-list
 *    as WebSocket upgrades; without `Origin`, `Sec-Fetch-Site` must not say cross-site.
 * The one exception to JSON is a file upload (`POST /api/uploads`, below the host's global prefix
 * if any; multipart): a form can send that, so it must come from an allowed origin, said by
 * `Origin` or `Sec-Fetch-Site: same-origin`.
 * Sign-in and registration are checked with no cookie at all (login CSRF: the victim would be
 * signed in as the attacker). A request with a Bearer token and no session cookie is not a
 * browser acting on its own, so it passes.
 *
 * The middleware it returns may be installed twice on one app (by `protectChatHttp` for every
 * route, and by ChatModule for its own controllers, so the check holds in a host that skips the
 * former): a request it passed once is not checked again. The mark is its own: a pass of another
 * instance (another allow-list, another cookie) counts for nothing here.
 */
export function csrfProtection(origins: OriginAllowList, cookieName = SESSION_COOKIE) {
  const passed = new WeakSet<Request>();
  const check = (request: Request, response: Response, next: NextFunction): void => {
    if (SAFE_METHODS.has(request.method)) return next();
    const hasSession = request.headers.cookie !== undefined && cookieName in parse(request.headers.cookie);
    if (!hasSession && /^bearer\s/i.test(request.headers.authorization ?? '')) return next();
    // A request without a body (sign-out) has nothing to type; a forged form always has one.
    const upload = isUpload(request);
    if (hasBody(request) && !request.is('application/json') && !upload) {
      return refuse(response, 415, 'bad_request', 'send the request body as application/json');
    }
    const origin = request.headers.origin;
    if (origin !== undefined) {
      if (origins.allows(origin, request.socket.localPort)) return next();
      return refuse(
        response,
        403,
        'forbidden',
        `requests from origin ${origin.slice(0, 100)} are not allowed; add it to ALLOWED_ORIGINS if it is yours`,
      );
    }
    const site = request.headers['sec-fetch-site'];
    if (site === 'cross-site' || site === 'same-site' || (upload && site !== 'same-origin')) {
      return refuse(
        response,
        403,
        'forbidden',
        'cross-site request refused: send it from a page of an allowed origin (ALLOWED_ORIGINS)',
      );
    }
    next();
  };
  return (request: Request, response: Response, next: NextFunction): void => {
    if (passed.has(request)) return next();
    check(request, response, () => {
      passed.add(request);
      next();
    });
  };
}

/**
 * A multipart upload, the one body that is not JSON. Its path is matched by its end, so that it
 * is found under a global prefix (`app.setGlobalPrefix('chat')`: `/chat/api/uploads`) or a mount,
 * and as loosely as Express routes it (any case, a trailing slash); no other route of the chat
 * ends so (route parameters cannot hold a `/`).
 */
function isUpload(request: Request): boolean {
  const path = request.path.toLowerCase().replace(/\/+$/, '');
  return path.endsWith(`/${UPLOADS_ROUTE}`) && request.is('multipart/form-data') === 'multipart/form-data';
}

/** type-is counts `Content-Length: 0` as a body; an empty POST is not one. */
function hasBody(request: Request): boolean {
  const length = request.headers['content-length'];
  return request.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

function refuse(response: Response, status: number, code: ErrorCode, message: string): void {
  response.status(status).json({ code, message });
}
