import type { Server as HttpServer, IncomingMessage } from 'node:http';
import type { Server as HttpsServer } from 'node:https';
import type { Socket } from 'node:net';
import { Server as TlsServer } from 'node:tls';
import type { ProxyTrustFn } from '../common/net/proxy-trust.js';
import type { RefusalLog } from './refusal-log.js';

export interface ConnectionAdmissionOptions {
  /** Open TCP connections per peer address (MAX_CONNECTIONS_PER_IP); 0: no limit. */
  maxPerIp: number;
  /** TCP connections at once (MAX_CONNECTIONS plus headroom, see connectionBudget); 0: no limit. */
  maxTcp: number;
  /** A connection's first request must have sent its headers within this (HEADERS_TIMEOUT_MS). */
  headersTimeoutMs: number;
  /** Peers that are trusted proxies carry many clients: they are not limited per address here. */
  trust: ProxyTrustFn;
  refusals: RefusalLog;
}

/**
 * A connection refused at accept gets its 429 and a moment to read it before the socket is cut;
 * past this many such sockets lingering at once they are cut at once (a flood must not hold
 * descriptors through its refusals).
 */
const MAX_LINGERING = 64;
const LINGER_MS = 1000;
/** Whole requests (headers and body) after the first; Node checks this every 30 s. */
const REQUEST_TIMEOUT_MS = 30_000;

/**
 * Admission at accept, before a byte of the request is read: per-address and global caps on TCP
 * connections, and a deadline for the first request's headers. The per-IP limit at the upgrade
 * (UpgradePolicy) only sees sockets that sent their headers; without this, sockets that never
 * finish them held every file descriptor.
 */
export function admitConnections(
  server: HttpServer | HttpsServer,
  options: ConnectionAdmissionOptions,
): () => void {
  const openPerIp = new Map<string, number>();
  const deadlines = new Map<Socket, NodeJS.Timeout>();
  let lingering = 0;

  server.headersTimeout = options.headersTimeoutMs;
  server.requestTimeout = Math.max(REQUEST_TIMEOUT_MS, options.headersTimeoutMs);
  if (options.maxTcp > 0) server.maxConnections = options.maxTcp;

  const refuse = (socket: Socket, ip: string) => {
    // Under TLS no handshake has happened yet: there is no way to say why, only to hang up.
    if (server instanceof TlsServer) {
      socket.destroy();
      return;
    }
    const body = `too many connections from ${ip} (limit ${options.maxPerIp}); close some first\n`;
    socket.end(
      `HTTP/1.1 429 Too Many Requests\r\nConnection: close\r\nContent-Type: text/plain\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
    );
    if (lingering >= MAX_LINGERING) {
      socket.destroy();
      return;
    }
    lingering++;
    const cut = setTimeout(() => socket.destroy(), LINGER_MS);
    socket.once('close', () => {
      lingering--;
      clearTimeout(cut);
    });
  };

  const onConnection = (socket: Socket) => {
    const ip = socket.remoteAddress ?? 'unknown';
    if (options.maxPerIp > 0 && !options.trust(ip, 0)) {
      const open = openPerIp.get(ip) ?? 0;
      if (open >= options.maxPerIp) {
        options.refusals.refused('per_ip', ip, `more than ${options.maxPerIp} connections from one address`);
        refuse(socket, ip);
        return;
      }
      openPerIp.set(ip, open + 1);
      socket.once('close', () => {
        const left = (openPerIp.get(ip) ?? 1) - 1;
        if (left > 0) openPerIp.set(ip, left);
        else openPerIp.delete(ip);
      });
    }
    const deadline = setTimeout(() => {
      deadlines.delete(socket);
      options.refusals.refused(
        'headers_timeout',
        ip,
        `no complete request within ${options.headersTimeoutMs} ms`,
      );
      socket.destroy();
    }, options.headersTimeoutMs);
    deadlines.set(socket, deadline);
    socket.once('close', () => {
      clearTimeout(deadline);
      deadlines.delete(socket);
    });
  };

  const onHeaders = (request: IncomingMessage) => {
    const socket = rawSocket(request.socket);
    const deadline = deadlines.get(socket);
    if (deadline === undefined) return;
    clearTimeout(deadline);
    deadlines.delete(socket);
  };
  const onUpgrade = (request: IncomingMessage) => {
    onHeaders(request);
    // Listening for upgrades makes Node hand them to us even when nobody else serves them any
    // more (the WebSocket adapter is gone during shutdown): answer rather than hold the socket.
    if (server.listenerCount('upgrade') === 1) {
      request.socket.end(
        'HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\nContent-Length: 0\r\n\r\n',
      );
    }
  };
  const onDrop = (data?: { remoteAddress?: string }) =>
    options.refusals.refused(
      'capacity',
      data?.remoteAddress,
      `server full (${server.maxConnections} connections)`,
    );

  server.on('connection', onConnection);
  server.on('request', onHeaders);
  server.on('upgrade', onUpgrade);
  server.on('drop', onDrop);
  return () => {
    server.off('connection', onConnection);
    server.off('request', onHeaders);
    server.off('upgrade', onUpgrade);
    server.off('drop', onDrop);
    for (const deadline of deadlines.values()) clearTimeout(deadline);
  };
}

/** Under TLS the request's socket wraps the TCP socket that `connection` announced. */
function rawSocket(socket: Socket): Socket {
  return (socket as Socket & { _parent?: Socket | null })._parent ?? socket;
}
