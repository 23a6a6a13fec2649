import { readFileSync } from 'node:fs';

/**
 * TCP connections above the WebSocket cap kept for plain HTTP: when WebSockets (or half-open
 * sockets) fill the server, /healthz, /readyz and the API still get through.
 */
export const HTTP_HEADROOM = 128;
/** Descriptors the process needs besides client sockets: database, logs, Redis, PostgreSQL pool. */
const OWN_FILES = 64;
/** One address's share of the TCP budget for connections that are not (yet) WebSockets. */
const UNFINISHED_SHARE = 8;

export interface ConnectionBudget {
  /** TCP connections at once (the HTTP server's maxConnections); 0: no limit. */
  tcp: number;
  /** WebSocket connections at once; 0: no limit. */
  webSockets: number;
  /** Connections per client address; 0: no limit. */
  perIp: number;
  /**
   * Connections per client address that are not WebSockets (still sending their request, or
   * plain HTTP): a small share of the TCP budget, so a few addresses holding slow requests cannot
   * take the headroom kept for probes; 0: no limit.
   */
  unfinishedPerIp: number;
  /** Such connections at once (the WebSocket share): the headroom stays for new addresses. */
  unfinished: number;
  /** Set when the file descriptor limit cut the configured limits down: say so at start-up. */
  warning?: string;
}

/**
 * The configured limits, cut to what the file descriptor limit can hold. Past it, accept()
 * fails with EMFILE and every client, probes included, is turned away; below it, the server
 * refuses new connections itself and keeps HTTP_HEADROOM of them for HTTP, and one address can
 * never take more than the WebSocket share.
 */
export function connectionBudget(
  maxConnections: number,
  maxPerIp: number,
  fdLimit: number | undefined,
): ConnectionBudget {
  if (maxConnections <= 0)
    return { tcp: 0, webSockets: 0, perIp: maxPerIp, unfinishedPerIp: 0, unfinished: 0 };
  const wanted = maxConnections + HTTP_HEADROOM;
  const room = fdLimit === undefined ? wanted : Math.max(HTTP_HEADROOM + 1, fdLimit - OWN_FILES);
  const tcp = Math.min(wanted, room);
  const webSockets = tcp - HTTP_HEADROOM;
  const cut = tcp !== wanted;
  // Cut to the descriptors, one address may hold at most half of the WebSockets.
  const share = cut ? Math.max(1, Math.floor(webSockets / 2)) : webSockets;
  const perIp = maxPerIp > 0 ? Math.min(maxPerIp, share) : 0;
  const unfinishedPerIp = Math.max(1, Math.floor(tcp / UNFINISHED_SHARE));
  const limits = { tcp, webSockets, perIp, unfinishedPerIp, unfinished: webSockets };
  if (!cut) return limits;
  return {
    ...limits,
    warning:
      `MAX_CONNECTIONS=${maxConnections} needs a file descriptor limit of at least ${wanted + OWN_FILES}, ` +
      `but it is ${fdLimit}: admitting at most ${webSockets} WebSockets (${perIp} per address). ` +
      `Raise the limit (ulimit -n, systemd LimitNOFILE=) or lower MAX_CONNECTIONS.`,
  };
}

/** The soft limit on open files (Node raises it to the hard limit at start); undefined off Linux. */
export function fileDescriptorLimit(): number | undefined {
  try {
    const line = readFileSync('/proc/self/limits', 'utf8')
      .split('\n')
      .find((candidate) => candidate.startsWith('Max open files'));
    const soft = line?.split(/\s{2,}/)[1];
    return soft === undefined || soft === 'unlimited' ? undefined : Number(soft);
  } catch {
    return undefined;
  }
}
