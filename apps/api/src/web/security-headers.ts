import helmet from 'helmet';

/** What every page of ours may load: its own origin's files only, no plugins, never framed. */
const SAME_ORIGIN_DIRECTIVES = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'"],
  styleSrc: ["'self'"],
  imgSrc: ["'self'", 'data:'],
  fontSrc: ["'self'"],
  connectSrc: ["'self'"],
  objectSrc: ["'none'"],
  baseUri: ["'self'"],
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
};

/**
 * Security headers for every HTTP answer (helmet). The Content-Security-Policy allows exactly
 * what the built SPA needs: its own scripts and styles (no inline code, no eval), and
 * WebSocket/fetch to its own origin. Anything injected into the page could not run or leak.
 */
export function securityHeaders(tls: boolean) {
  return helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        ...SAME_ORIGIN_DIRECTIVES,
        // Over plain http (a laptop) upgrading requests would break the app.
        ...(tls && { upgradeInsecureRequests: [] }),
      },
    },
    // HSTS only means something over https; on http://localhost it would only confuse.
    strictTransportSecurity: tls ? { maxAge: 15_552_000, includeSubDomains: true } : false,
    referrerPolicy: { policy: 'no-referrer' },
  });
}

/**
 * The OpenAPI UI (/api/docs) is swagger-ui, whose page and components use inline styles: this
 * path alone also allows inline styles. Scripts stay 'self' only (swagger-ui's are files), so
 * an injection still cannot run code there.
 */
export function docsSecurityHeaders() {
  return helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: { ...SAME_ORIGIN_DIRECTIVES, styleSrc: ["'self'", "'unsafe-inline'"] },
    },
    strictTransportSecurity: false,
    referrerPolicy: { policy: 'no-referrer' },
  });
}
