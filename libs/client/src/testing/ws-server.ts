import type { AddressInfo } from 'node:net';
import { WebSocketServer, type ServerOptions, type WebSocket as ServerSocket } from 'ws';
import type { Limits, User } from '@chat/contracts';
import { LIMITS } from './chat-fixtures.js';

export interface TestWsServer {
  server: WebSocketServer;
  /** `ws://127.0.0.1:<port>/ws` */
  url: string;
  /** Every connection it accepted, in order. */
  connections: ServerSocket[];
  /** Ends every connection at once and stops listening (for afterEach). */
  close(): Promise<void>;
}

/** A real WebSocket server on a free port of 127.0.0.1. */
export function testWsServer(options: Omit<ServerOptions, 'port'> = {}): TestWsServer {
  const server = new WebSocketServer({ port: 0, ...options });
  const connections: ServerSocket[] = [];
  server.on('connection', (socket) => connections.push(socket));
  return {
    server,
    url: `ws://127.0.0.1:${(server.address() as AddressInfo).port}/ws`,
    connections,
    async close() {
      for (const socket of server.clients) socket.terminate();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

export interface Frame {
  event: string;
  data: Record<string, unknown>;
}

/**
 * A scripted chat server over real sockets: answers each connection with `welcome` (as
 * `welcomed.user`, which a test may change before connecting), and records every frame the
 * client sends. `send` speaks on the latest connection.
 */
export function scriptedChatServer(welcomed: { user: User; limits?: Limits }) {
  const ws = testWsServer({ handleProtocols: () => 'chat.v1' });
  const frames: Frame[] = [];
  ws.server.on('connection', (connection) => {
    connection.on('message', (raw) => frames.push(JSON.parse(raw.toString()) as Frame));
    send('welcome', {
      connectionId: 'c1',
      user: welcomed.user,
      serverTime: new Date().toISOString(),
      limits: welcomed.limits ?? LIMITS,
    });
  });
  const send = (event: string, data: unknown) => ws.connections.at(-1)!.send(JSON.stringify({ event, data }));
  /** The data of every frame of `event` the client sent, in order. */
  const sent = (event: string) => frames.filter((f) => f.event === event).map((f) => f.data);
  return { ...ws, send, sent, joins: () => sent('join'), welcomed };
}
