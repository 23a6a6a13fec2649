import { readFileSync } from 'node:fs';

/**
 * TCP connections above the WebSocket cap kept for plain HTTP: when WebSockets (or half-open
 * sockets) fill the server, /healthz, /readyz and the API still get through.
 */
export const HTTP_HEADROOM = 128;
/** Descriptors the process needs besides client sockets: database, logs, Redis, PostgreSQL pool. */
const OWN_FILES = 64;

export interface ConnectionBudget {
  /** TCP connections at once (the HTTP server's maxConnections); 0: no limit. */
  tcp: number;
  /** WebSocket connections at once; 0: no limit. */
  webSockets: number;
  /** Connections per client address; 0: no limit. */
  perIp: number;
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
  if (maxConnections <= 0) return { tcp: 0, webSockets: 0, perIp: maxPerIp };
  const wanted = maxConnections + HTTP_HEADROOM;
  const room = fdLimit === undefined ? wanted : Math.max(HTTP_HEADROOM + 1, fdLimit - OWN_FILES);
  const tcp = Math.min(wanted, room);
  const webSockets = tcp - HTTP_HEADROOM;
  const perIp = maxPerIp > 0 ? Math.min(maxPerIp, webSockets) : 0;
  if (tcp === wanted) return { tcp, webSockets, perIp };
  return {
    tcp,
    webSockets,
    perIp,
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
