import type { MessageMappingProperties } from '@nestjs/websockets';
import { WebSocket } from 'ws';
import type { ClientConnection } from './client-connection.js';

/** What the adapter keeps per connection and does with its socket's events. */
export interface SocketEvents {
  socketMessage(socket: ChatSocket, raw: Buffer, isBinary: boolean): void;
  socketClosed(socket: ChatSocket, code: number, reason: Buffer): void;
  socketError(socket: ChatSocket, error: Error): void;
  socketPing(socket: ChatSocket, payload: Buffer): void;
}

/**
 * ws's WebSocket with the adapter's per-connection state in plain fields. The same four listener
 * functions serve every socket (ws calls them with the socket as `this`): a closure or a `once`
 * wrapper per connection and event would cost every idle client a few hundred bytes.
 */
export class ChatSocket extends WebSocket {
  connection: ClientConnection | undefined;
  events: SocketEvents | undefined;
  /** The gateway's handlers for this connection, as Nest bound them (on the first frame). */
  handlers: MessageMappingProperties[] | undefined;
  /** Nest's function that binds them; dropped once it has run. */
  private binder: ((connection: ClientConnection) => void) | undefined;
  /** The frame being handled and those chained after it, in order. */
  queue: Promise<void> | undefined;
  /** Frames received and not yet handled. */
  waiting = 0;
  /** Pongs waiting in `queue`. */
  queuedPings = 0;
  /** The newest ping that came in while the most pongs were queued: the last one answers it. */
  newestPing: Buffer | undefined;

  /** Starts handing this socket's events to `events`. */
  listen(
    connection: ClientConnection,
    events: SocketEvents,
    binder: (connection: ClientConnection) => void,
  ): void {
    this.connection = connection;
    this.events = events;
    this.binder = binder;
    this.on('message', onMessage);
    this.on('close', onClose);
    this.on('error', onError);
    this.on('pong', onPong);
    this.on('ping', onPing);
  }

  /** Has Nest bind the gateway's handlers to this connection, the first time only. */
  bindHandlers(): void {
    if (!this.binder) return;
    const bind = this.binder;
    this.binder = undefined;
    bind(this.connection!);
  }
}

// ws types listeners' `this` as its own WebSocket; every socket of ours is a ChatSocket.
function onMessage(this: WebSocket, raw: Buffer, isBinary: boolean): void {
  const socket = this as ChatSocket;
  socket.events!.socketMessage(socket, raw, isBinary);
}

function onClose(this: WebSocket, code: number, reason: Buffer): void {
  const socket = this as ChatSocket;
  socket.events!.socketClosed(socket, code, reason);
}

function onError(this: WebSocket, error: Error): void {
  const socket = this as ChatSocket;
  socket.events!.socketError(socket, error);
}

function onPing(this: WebSocket, payload: Buffer): void {
  const socket = this as ChatSocket;
  socket.events!.socketPing(socket, payload);
}

function onPong(this: WebSocket): void {
  (this as ChatSocket).connection!.missedBeats = 0;
}
