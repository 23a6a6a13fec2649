import type { IncomingMessage } from 'node:http';
import { PROTOCOL_V1 } from '@chat/contracts';
import { clientAddress } from './client-address.js';
import { selectWireProtocol } from './wire-protocol.js';

export type UpgradeDecision = { ok: true } | { ok: false; status: number; message: string };

export interface UpgradePolicyOptions {
  /** Browser origins allowed besides the server's own (ALLOWED_ORIGINS, the dev server). */
  allowedOrigins: string[];
  /** 0: no limit. */
  maxConnectionsPerIp: number;
  trustProxy: boolean;
}

/**
 * Decides, before any WebSocket exists, whether an upgrade request is accepted: a protocol we
 * speak (else 400), a browser origin we trust (else 403: cross-site WebSocket hijacking), and
 * room for one more connection from that IP (else 429).
 */
export class UpgradePolicy {
  private readonly allowedOrigins: Set<string>;
  private readonly openPerIp = new Map<string, number>();

  constructor(private readonly options: UpgradePolicyOptions) {
    this.allowedOrigins = new Set(options.allowedOrigins.map(normalizeOrigin).filter((o) => o !== null));
  }

  check(request: IncomingMessage): UpgradeDecision {
    if (selectWireProtocol(request.headers['sec-websocket-protocol']) === null) {
      return {
        ok: false,
        status: 400,
        message: `unsupported subprotocol; offer "${PROTOCOL_V1}", or none for the simple protocol`,
      };
    }
    const origin = request.headers.origin;
    if (origin !== undefined && !this.isAllowedOrigin(origin, request.headers.host)) {
      return {
        ok: false,
        status: 403,
        message: `origin ${origin.slice(0, 100)} is not allowed to open chat connections; add it to ALLOWED_ORIGINS`,
      };
    }
    return this.reserveConnection(request);
  }

  /** Open connections per IP right now, counted while the limit is on (for tests and metrics). */
  openConnections(ip: string): number {
    return this.openPerIp.get(ip) ?? 0;
  }

  private isAllowedOrigin(origin: string, host: string | undefined): boolean {
    const normalized = normalizeOrigin(origin);
    if (normalized === null) return false;
    // The server's own origin: the page was served by us, from the host the browser used.
    if (host !== undefined && new URL(normalized).host === host.toLowerCase()) return true;
    return this.allowedOrigins.has(normalized);
  }

  /** Counts the connection against its IP until its TCP socket closes (whatever happens to the upgrade). */
  private reserveConnection(request: IncomingMessage): UpgradeDecision {
    const max = this.options.maxConnectionsPerIp;
    // No limit, nothing to count (and no address to look up per upgrade).
    if (max <= 0) return { ok: true };
    const ip = clientAddress(request, this.options.trustProxy);
    const open = this.openPerIp.get(ip) ?? 0;
    if (max > 0 && open >= max) {
      return {
        ok: false,
        status: 429,
        message: `too many connections from ${ip} (limit ${max}); close some first`,
      };
    }
    this.openPerIp.set(ip, open + 1);
    request.socket.once('close', () => {
      const left = (this.openPerIp.get(ip) ?? 1) - 1;
      if (left > 0) this.openPerIp.set(ip, left);
      else this.openPerIp.delete(ip);
    });
    return { ok: true };
  }
}

/** `https://Example.com:443/` -> `https://example.com`; null when it is not an http(s) origin. */
function normalizeOrigin(origin: string): string | null {
  try {
    const url = new URL(origin);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.origin : null;
  } catch {
    return null;
  }
}
