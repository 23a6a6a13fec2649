import type { NextFunction, Request, Response } from 'express';

/** Paths the server itself answers; everything else belongs to the web app. */
const SERVER_PATHS = /^\/(api|ws|healthz|readyz|metrics)(\/|$)/;

/**
 * With WEB_APP_URL (`npm run dev`: the Vite server), a browser that opens the server's own port
 * is sent to the web app there, instead of being shown whatever build happens to be on disk.
 */
export function webAppRedirect(appUrl: string) {
  const base = appUrl.replace(/\/+$/, '');
  return (request: Request, response: Response, next: NextFunction): void => {
    if ((request.method !== 'GET' && request.method !== 'HEAD') || SERVER_PATHS.test(request.path)) {
      next();
      return;
    }
    // originalUrl is a path (it starts with "/"), so the target stays on the configured origin.
    response.redirect(302, base + request.originalUrl);
  };
}
