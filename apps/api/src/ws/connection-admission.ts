import type { Server as HttpServer, IncomingMessage, ServerResponse } from 'node:http';
import type { Server as HttpsServer } from 'node:https';
import type { Socket } from 'node:net';
import { Server as TlsServer } from 'node:tls';
import type { ProxyTrustFn } from '../common/net/proxy-trust.js';
import { ipKey } from '../common/rate-limit/ip-key.js';
import type { RefusalLog } from './refusal-log.js';

export interface ConnectionAdmissionOptions {
  /** Open TCP connections per peer address (MAX_CONNECTIONS_PER_IP); 0: no limit. */
  maxPerIp: number;
  /** TCP connections at once (MAX_CONNECTIONS plus headroom, see connectionBudget); 0: no limit. */
  maxTcp: number;
  /**
   * Connections per peer address that are not WebSockets (sending a request, or plain HTTP);
   * 0: no limit. Well below maxPerIp, so slow requests from a few addresses leave room for others.
   */
  maxUnfinishedPerIp: number;
  /**
   * Such connections at once; past it only an address with none of them gets in, so the
   * headroom above stays for probes and new clients. 0: no limit.
   */
  maxUnfinished: number;
  /** A connection's first request must have sent its headers within this (HEADERS_TIMEOUT_MS). */
  headersTimeoutMs: number;
  /** A request must have sent its whole body within this (REQUEST_TIMEOUT_MS). */
  requestTimeoutMs: number;
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
  /** Sockets not (yet) WebSockets, by address key; released at the upgrade or the close. */
  const unfinishedPerIp = new Map<string, number>();
  const unfinishedRelease = new Map<Socket, () => void>();
  let unfinished = 0;
  let lingering = 0;

  server.headersTimeout = options.headersTimeoutMs;
  // Node checks this only every 30 s; the request deadline below enforces it on time.
  server.requestTimeout = Math.max(options.requestTimeoutMs, options.headersTimeoutMs);
  if (options.maxTcp > 0) server.maxConnections = options.maxTcp;

  const refuse = (socket: Socket, ip: string, limit: number) => {
    // Under TLS no handshake has happened yet: there is no way to say why, only to hang up.
    if (server instanceof TlsServer) {
      socket.destroy();
      return;
    }
    const body = `too many connections from ${ip} (limit ${limit}); close some first\n`;
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
    const key = ipKey(ip);
    const trusted = options.trust(ip, 0);
    const open = openPerIp.get(key) ?? 0;
    const mine = unfinishedPerIp.get(key) ?? 0;
    if (options.maxPerIp > 0 && !trusted && open >= options.maxPerIp) {
      options.refusals.refused('per_ip', ip, `more than ${options.maxPerIp} connections from one address`);
      refuse(socket, ip, options.maxPerIp);
      return;
    }
    if (options.maxUnfinishedPerIp > 0 && !trusted && mine >= options.maxUnfinishedPerIp) {
      options.refusals.refused(
        'unfinished',
        ip,
        `more than ${options.maxUnfinishedPerIp} unfinished or plain HTTP connections from one address`,
      );
      refuse(socket, ip, options.maxUnfinishedPerIp);
      return;
    }
    if (options.maxUnfinished > 0 && unfinished >= options.maxUnfinished && mine > 0) {
      options.refusals.refused('unfinished', ip, `more than ${options.maxUnfinished} unfinished connections`);
      refuse(socket, ip, options.maxUnfinishedPerIp);
      return;
    }
    if (options.maxPerIp > 0 && !trusted) {
      openPerIp.set(key, open + 1);
      socket.once('close', () => {
        const left = (openPerIp.get(key) ?? 1) - 1;
        if (left > 0) openPerIp.set(key, left);
        else openPerIp.delete(key);
      });
    }
    unfinished++;
    unfinishedPerIp.set(key, mine + 1);
    const release = () => {
      if (!unfinishedRelease.delete(socket)) return;
      unfinished--;
      const left = (unfinishedPerIp.get(key) ?? 1) - 1;
      if (left > 0) unfinishedPerIp.set(key, left);
      else unfinishedPerIp.delete(key);
    };
    unfinishedRelease.set(socket, release);
    socket.once('close', release);
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
    clearHeadersDeadline(socket);
  };
  const onRequest = (request: IncomingMessage, response: ServerResponse) => {
    onHeaders(request);
    // A body trickling in a byte a second holds its slot: it gets REQUEST_TIMEOUT_MS in all.
    const timer = setTimeout(() => {
      if (request.complete) return;
      options.refusals.refused(
        'request_timeout',
        request.socket.remoteAddress,
        `request body not complete within ${options.requestTimeoutMs} ms`,
      );
      request.socket.destroy();
    }, options.requestTimeoutMs);
    const done = () => clearTimeout(timer);
    request.once('end', done);
    response.once('close', done);
  };
  const clearHeadersDeadline = (socket: Socket) => {
    const deadline = deadlines.get(socket);
    if (deadline === undefined) return;
    clearTimeout(deadline);
    deadlines.delete(socket);
  };
  const onUpgrade = (request: IncomingMessage) => {
    onHeaders(request);
    // A WebSocket from here on: counted by the WebSocket limits, no longer as unfinished.
    unfinishedRelease.get(rawSocket(request.socket))?.();
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
  server.on('request', onRequest);
  server.on('upgrade', onUpgrade);
  server.on('drop', onDrop);
  return () => {
    server.off('connection', onConnection);
    server.off('request', onRequest);
    server.off('upgrade', onUpgrade);
    server.off('drop', onDrop);
    for (const deadline of deadlines.values()) clearTimeout(deadline);
  };
}

/** Under TLS the request's socket wraps the TCP socket that `connection` announced. */
function rawSocket(socket: Socket): Socket {
  return (socket as Socket & { _parent?: Socket | null })._parent ?? socket;
}
