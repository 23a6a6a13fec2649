/**
 * The browser origins (scheme, host and port) whose pages may use a session: for WebSocket
 * upgrades and for cookie-authenticated HTTP state changes alike. The request's Host header is
 * never consulted: under DNS rebinding a hostile name resolves to our address and the browser
 * sends that name as Host, so "the origin matches the Host" would admit the attacker's page.
 *
 * Besides the configured list, the server's own loopback origins are allowed on the port the
 * request arrived on (http://localhost:PORT, http://127.0.0.1:PORT, http://[::1]:PORT), so that
 * `npm start` works at http://localhost:3000 with nothing configured.
 */
export class OriginAllowList {
  private readonly listed: Set<string>;
  private readonly loopbackByPort = new Map<number, Set<string>>();

  constructor(
    origins: readonly string[],
    private readonly scheme: 'http' | 'https',
  ) {
    this.listed = new Set(origins.map(normalizeOrigin).filter((origin) => origin !== null));
  }

  /** `localPort`: the server port the request came in on (the socket's, not the Host header's). */
  allows(origin: string, localPort: number | undefined): boolean {
    const normalized = normalizeOrigin(origin);
    if (normalized === null) return false;
    if (this.listed.has(normalized)) return true;
    return localPort !== undefined && this.loopbackOrigins(localPort).has(normalized);
  }

  private loopbackOrigins(port: number): Set<string> {
    let origins = this.loopbackByPort.get(port);
    if (!origins) {
      origins = new Set(
        ['localhost', '127.0.0.1', '[::1]'].map((host) => new URL(`${this.scheme}://${host}:${port}`).origin),
      );
      this.loopbackByPort.set(port, origins);
    }
    return origins;
  }
}

/** `https://Example.com:443/` -> `https://example.com`; null when it is not an http(s) origin. */
export function normalizeOrigin(origin: string): string | null {
  try {
    const url = new URL(origin);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.origin : null;
  } catch {
    return null;
  }
}
