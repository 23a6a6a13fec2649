import type { IncomingMessage } from 'node:http';
import { PROTOCOL_V1 } from '@chat/contracts';
import type { OriginAllowList } from '../common/net/origin-allow-list.js';
import type { ProxyTrustFn } from '../common/net/proxy-trust.js';
import { clientAddress } from './client-address.js';
import { ipKey } from '../common/rate-limit/ip-key.js';
import type { RefusalLog, RefusalReason } from './refusal-log.js';
import { selectWireProtocol } from './wire-protocol.js';

export type UpgradeDecision = { ok: true } | { ok: false; status: number; message: string };

export interface UpgradePolicyOptions {
  /** Browser origins whose pages may connect (the same list guards HTTP state changes). */
  origins: OriginAllowList;
  /** 0: no limit. */
  maxConnectionsPerIp: number;
  /** WebSocket connections on this instance (MAX_CONNECTIONS); 0: no limit. */
  maxConnections: number;
  trust: ProxyTrustFn;
  refusals?: RefusalLog;
}

/**
 * Decides, before any WebSocket exists, whether an upgrade request is accepted: a protocol we
 * speak (else 400), a browser origin we trust (else 403: cross-site WebSocket hijacking), room
 * on this instance (else 503) and room for one more connection from that IP (else 429).
 */
export class UpgradePolicy {
  private readonly openPerIp = new Map<string, number>();
  private open = 0;

  constructor(private readonly options: UpgradePolicyOptions) {}

  check(request: IncomingMessage): UpgradeDecision {
    const decision = this.decide(request);
    if (!decision.ok) {
      const reason: RefusalReason =
        decision.status === 400
          ? 'protocol'
          : decision.status === 403
            ? 'origin'
            : decision.status === 503
              ? 'capacity'
              : 'per_ip';
      this.options.refusals?.refused(
        reason,
        request.socket.remoteAddress,
        `upgrade refused (${decision.status})`,
      );
    }
    return decision;
  }

  /** Open connections per IP right now, counted while the limit is on (for tests and metrics). */
  openConnections(ip: string): number {
    return this.openPerIp.get(ip) ?? 0;
  }

  private decide(request: IncomingMessage): UpgradeDecision {
    if (selectWireProtocol(request.headers['sec-websocket-protocol']) === null) {
      return {
        ok: false,
        status: 400,
        message: `unsupported subprotocol; offer "${PROTOCOL_V1}", or none for the simple protocol`,
      };
    }
    const origin = request.headers.origin;
    if (origin !== undefined && !this.options.origins.allows(origin, request.socket.localPort)) {
      return {
        ok: false,
        status: 403,
        message: `origin ${origin.slice(0, 100)} is not allowed to open chat connections; add it to ALLOWED_ORIGINS`,
      };
    }
    const max = this.options.maxConnections;
    if (max > 0 && this.open >= max) {
      return {
        ok: false,
        status: 503,
        message: `server full (${max} connections): try again in a moment`,
      };
    }
    return this.reserveConnection(request);
  }

  /** Counts the connection against its IP until its TCP socket closes (whatever happens to the upgrade). */
  private reserveConnection(request: IncomingMessage): UpgradeDecision {
    const max = this.options.maxConnectionsPerIp;
    // No limit, nothing to count (and no listener or address lookup per upgrade).
    if (max <= 0 && this.options.maxConnections <= 0) return { ok: true };
    const ip = max > 0 ? ipKey(clientAddress(request, this.options.trust)) : undefined;
    if (ip !== undefined) {
      const open = this.openPerIp.get(ip) ?? 0;
      if (open >= max) {
        return {
          ok: false,
          status: 429,
          message: `too many connections from ${ip} (limit ${max}); close some first`,
        };
      }
      this.openPerIp.set(ip, open + 1);
    }
    this.open++;
    request.socket.once('close', () => {
      this.open--;
      if (ip === undefined) return;
      const left = (this.openPerIp.get(ip) ?? 1) - 1;
      if (left > 0) this.openPerIp.set(ip, left);
      else this.openPerIp.delete(ip);
    });
    return { ok: true };
  }
}
