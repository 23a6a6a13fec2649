import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { WebSocket, WebSocketServer } from 'ws';

/** What Nest's WsAdapter registers per path: a ws server with the path it serves. */
export type RoutedServer = WebSocketServer & { path: string };

/**
 * The HTTP server's `upgrade` listener: hands each upgrade to the WebSocket server of its path,
 * as Nest's WsAdapter does, but without parsing a whole URL per upgrade (that showed in a
 * connection storm's profile). Paths that could need normalizing (dot segments, escapes) still
 * go through the URL parser, so they route exactly as before.
 */
export function upgradeRouter(servers: () => readonly RoutedServer[]) {
  const emitters = new WeakMap<RoutedServer, (socket: WebSocket, request: IncomingMessage) => void>();
  const emitterOf = (server: RoutedServer) => {
    let emit = emitters.get(server);
    if (!emit) {
      emit = (socket, request) => server.emit('connection', socket, request);
      emitters.set(server, emit);
    }
    return emit;
  };
  return (request: IncomingMessage, socket: Duplex, head: Buffer): void => {
    // Refused at accept (ConnectionAdmission): its answer is already written.
    if (socket.writableEnded) {
      socket.destroy();
      return;
    }
    try {
      const path = pathOf(request);
      const server = servers().find((candidate) => candidate.path === path);
      if (server) server.handleUpgrade(request, socket, head, emitterOf(server));
      else socket.destroy();
    } catch {
      // An upgrade whose URL cannot be parsed: a well-formed refusal rather than a dropped socket.
      socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
    }
  };
}

function pathOf(request: IncomingMessage): string {
  const url = request.url ?? '/';
  const query = url.indexOf('?');
  const path = query < 0 ? url : url.slice(0, query);
  if (!/[%.\\#]/.test(path)) return path;
  return new URL(url, `ws://${request.headers.host ?? 'localhost'}/`).pathname;
}
