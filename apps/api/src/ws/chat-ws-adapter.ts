import * as http from 'node:http';
import type { IncomingMessage } from 'node:http';
import type { INestApplicationContext } from '@nestjs/common';
import { Logger } from '@nestjs/common';
import { WsAdapter } from '@nestjs/platform-ws';
import type { MessageMappingProperties } from '@nestjs/websockets';
import { CloseCode, PROTOCOL_V1, type ServerFrame } from '@chat/contracts';
import { BadRequestError } from '../common/errors/chat-errors.js';
import { isObservable, lastValueFrom, type Observable } from 'rxjs';
import type { WebSocketServer } from 'ws';
import { ClientConnection, type ConnectionLimits } from './client-connection.js';
import { ChatSocket, type SocketEvents } from './chat-socket.js';
import type { ProxyTrustFn } from '../common/net/proxy-trust.js';
import { FrameQueue, type RateLimitName } from './frame-queue.js';
import { forwardedAddress } from './client-address.js';
import type { RateLimitSettings } from './connection-rate-limits.js';
import { Heartbeat } from './heartbeat.js';
import { parseFrame } from './parse-frame.js';
import { reportError } from './report-error.js';
import type { UpgradePolicy } from './upgrade-policy.js';
import { upgradeRouter, type RoutedServer } from './upgrade-router.js';
import { SIMPLE_PROTOCOL_EVENT } from './wire-protocol.js';

/** What the `closed` hook receives about the close. */
export interface CloseDetails {
  code: number;
  reason: string;
}

/**
 * A connection's start and end, told to the gateway directly rather than through Nest's
 * OnGatewayConnection/OnGatewayDisconnect: Nest's route (an rxjs Subject per event, and the
 * gateway's handlers bound to each connection at once) cost a connection storm about a seventh
 * of the server's time per connection.
 */
export interface ConnectionLifecycle {
  opened(connection: ClientConnection, request: IncomingMessage): void;
  closed(connection: ClientConnection, close: CloseDetails): void;
}

/**
 * The gateway options that mark the chat's own gateway (`@WebSocketGateway(CHAT_GATEWAY)`):
 * its server gets the chat's protocol, limits and `path`; every other gateway is served exactly
 * as Nest's WsAdapter serves it.
 */
export const CHAT_GATEWAY = { chatTransport: true } as Record<string, unknown>;

export interface ChatWsAdapterOptions {
  /** Where the chat's gateway is served, such as `/ws`; other paths belong to the host's gateways. */
  path: string;
  maxFrameBytes: number;
  maxQueuedBytes: number;
  heartbeatMs: number;
  rates: RateLimitSettings;
  trustProxy: ProxyTrustFn;
  /** Hooks for metrics. */
  onSlowConsumer?: () => void;
  /** A frame waits for its connection's frame or send rate (it is delayed, not refused). */
  onRateDelayed?: (limit: RateLimitName) => void;
  policy: UpgradePolicy;
  /** Runs on shutdown after the last frame was handled and before clients are closed. */
  beforeClose?: () => Promise<void>;
  /** permessage-deflate: off unless given (see docs/performance.md for what it costs). */
  perMessageDeflate?: boolean | Record<string, unknown>;
  lifecycle: ConnectionLifecycle;
}

/** How long frames already received may take to finish (their writes and acks) on shutdown. */
const DRAIN_TIMEOUT_MS = 10_000;
/** How long clients get, on shutdown, to take their 1001 close before the sockets are cut. */
const SHUTDOWN_GRACE_MS = 1000;

type Callback = (data: unknown, event: string) => unknown;

/** Events that write to a room's log (a message or a change), and so also wait for the connection's send rate. */
const SEND_EVENTS: ReadonlySet<string> = new Set(['send', 'edit', 'delete', 'react', SIMPLE_PROTOCOL_EVENT]);

/**
 * Nest's WsAdapter with the protocol's rules: it chooses the wire protocol at the upgrade and
 * refuses what policy forbids, enforces frame limits, hands gateways a {@link ClientConnection},
 * and answers every frame it cannot route (bad JSON, binary, unknown event) with an error
 * frame instead of dropping it silently.
 */
export class ChatWsAdapter extends WsAdapter implements SocketEvents {
  protected override readonly logger = new Logger('WebSocket');
  private readonly connectionsByServer = new Map<WebSocketServer, Set<ClientConnection>>();
  private readonly heartbeats = new Map<WebSocketServer, Heartbeat>();
  /** Shared by every connection rather than copied into each. */
  private readonly limits: ConnectionLimits;
  private closing = false;
  private readonly upgradeListeners: (() => void)[] = [];
  private readonly frames: FrameQueue;
  /** Set while the chat's own server is created, so that the error handler knows whose it is. */
  private creatingChatServer = false;

  constructor(
    app: INestApplicationContext,
    private readonly options: ChatWsAdapterOptions,
  ) {
    super(app);
    this.limits = {
      maxQueuedBytes: options.maxQueuedBytes,
      rates: options.rates,
      onSlowConsumer: options.onSlowConsumer,
    };
    this.frames = new FrameQueue({ closing: () => this.closing, onRateDelayed: options.onRateDelayed });
  }

  override create(port: number, options: Record<string, unknown> = {}): WebSocketServer {
    // A host app's own gateway: Nest's WsAdapter, untouched (no chat auth, limits or frames).
    if (options.chatTransport !== true) return super.create(port, options) as WebSocketServer;
    const { chatTransport: _marker, ...gatewayOptions } = options;
    this.creatingChatServer = true;
    let server: WebSocketServer;
    try {
      server = this.createChatServer(port, gatewayOptions);
    } finally {
      this.creatingChatServer = false;
    }
    // The 101 response and the welcome frame written right after it leave in one packet: the
    // socket is held here and released once the connection handler has run (bindClientConnect).
    server.on('headers', (_headers: string[], request: IncomingMessage) => request.socket.cork());
    const connections = new Set<ClientConnection>();
    this.connectionsByServer.set(server, connections);
    const heartbeat = new Heartbeat(connections, this.options.heartbeatMs);
    heartbeat.start();
    this.heartbeats.set(server, heartbeat);
    return server;
  }

  private createChatServer(port: number, options: Record<string, unknown>): WebSocketServer {
    return super.create(port, {
      ...options,
      path: this.options.path,
      // ws accepts 100 MiB frames by default; it checks the declared length before buffering.
      maxPayload: this.options.maxFrameBytes,
      perMessageDeflate: this.options.perMessageDeflate ?? false,
      // Pings are answered by us, in turn and under the limits (ClientConnection.pong).
      autoPong: false,
      WebSocket: ChatSocket,
      // We track connections ourselves; ws's own set would cost a closure per connection.
      clientTracking: false,
      handleProtocols: (offered: Set<string>) => (offered.has(PROTOCOL_V1) ? PROTOCOL_V1 : false),
      verifyClient: (
        info: { req: IncomingMessage },
        done: (ok: boolean, status?: number, message?: string) => void,
      ) => {
        if (this.closing) return done(false, 503, 'server shutting down: reconnect in a moment');
        const decision = this.options.policy.check(info.req);
        if (decision.ok) done(true);
        else done(false, decision.status, decision.message);
      },
    }) as WebSocketServer;
  }

  private isChatServer(server: WebSocketServer): boolean {
    return this.connectionsByServer.has(server);
  }

  /** Nest's, with a cheaper `upgrade` listener (see {@link upgradeRouter}). */
  protected override ensureHttpServerExists(
    port: number,
    httpServer = http.createServer(),
  ): http.Server | undefined {
    if (this.httpServersRegistry.has(port)) return undefined;
    this.httpServersRegistry.set(port, httpServer);
    const listener = upgradeRouter(() => (this.wsServersRegistry.get(port) ?? []) as RoutedServer[]);
    httpServer.on('upgrade', listener);
    this.upgradeListeners.push(() => httpServer.off('upgrade', listener));
    return httpServer;
  }

  override async dispose(): Promise<void> {
    for (const remove of this.upgradeListeners.splice(0)) remove();
    await super.dispose();
  }

  override bindErrorHandler(server: WebSocketServer): WebSocketServer {
    // Our sockets report their errors to socketError; a host gateway's need Nest's listener, or
    // a client's bad frame would be an unhandled 'error' event.
    if (!this.creatingChatServer) return super.bindErrorHandler(server) as WebSocketServer;
    server.on('error', (error: Error) => this.logger.error(error));
    return server;
  }

  /**
   * `bindHandlers` is Nest's per-gateway function that binds the gateway's message handlers to one
   * connection (and would also announce it to OnGatewayConnection, which we do not use). It runs
   * when the connection sends its first frame: one that never does costs nothing for it.
   */
  override bindClientConnect(server: WebSocketServer, bindHandlers: (...args: unknown[]) => void): void {
    if (!this.isChatServer(server)) return super.bindClientConnect(server, bindHandlers);
    server.on('connection', (socket: ChatSocket, request: IncomingMessage) => {
      const protocol = socket.protocol === PROTOCOL_V1 ? PROTOCOL_V1 : 'simple';
      const forwarded = forwardedAddress(request, this.options.trustProxy);
      try {
        const connection = new ClientConnection(socket, protocol, request.socket, forwarded, this.limits);
        socket.listen(connection, this, bindHandlers);
        this.connectionsByServer.get(server)?.add(connection);
        this.options.lifecycle.opened(connection, request);
      } finally {
        request.socket.uncork();
      }
    });
  }

  override bindClientDisconnect(client: unknown, callback: (...args: unknown[]) => void): void {
    // The chat's gateway hears of closes through the lifecycle hooks (socketClosed).
    if (!(client instanceof ClientConnection)) super.bindClientDisconnect(client, callback);
  }

  override bindMessageHandlers(
    connection: ClientConnection,
    handlers: MessageMappingProperties[],
    transform: (data: unknown) => Observable<unknown>,
  ): void {
    if (!(connection instanceof ClientConnection))
      return super.bindMessageHandlers(connection, handlers, transform);
    // Nest's own transform (promise -> observable) is not needed: dispatch awaits the handler.
    (connection.socket as ChatSocket).handlers = handlers;
  }

  /** A frame arrived: queued behind the connection's earlier frames. */
  socketMessage(socket: ChatSocket, raw: Buffer, isBinary: boolean): void {
    socket.connection!.missedBeats = 0;
    if (this.closing) return; // the client will resend after reconnecting elsewhere
    socket.bindHandlers();
    this.frames.push(socket, () => this.dispatch(socket, raw, isBinary));
  }

  /**
   * A WebSocket ping: answered in turn, like any frame, and counted against the frame rate. It is
   * no sign of life: a client that pings but never reads does not answer our heartbeat either,
   * and is cut by it.
   */
  socketPing(socket: ChatSocket, payload: Buffer): void {
    if (!this.closing) this.frames.pushPing(socket, payload);
  }

  socketClosed(socket: ChatSocket, code: number, reason: Buffer): void {
    const connection = socket.connection!;
    for (const connections of this.connectionsByServer.values()) connections.delete(connection);
    this.options.lifecycle.closed(connection, { code, reason: reason.toString() });
  }

  socketError(_socket: ChatSocket, error: Error): void {
    // Socket errors are the peer's fault (bad UTF-8, oversized frame); ws closes with the right
    // code by itself. Logging them loudly would let any client flood the log.
    this.logger.debug(`client socket error: ${error.message}`);
  }

  /**
   * Graceful shutdown: refuse new upgrades and frames, let frames already received finish (so
   * their writes complete and their acks go out), then close every client with 1001.
   */
  override async close(server: WebSocketServer): Promise<void> {
    if (!this.isChatServer(server)) return super.close(server);
    this.closing = true;
    this.heartbeats.get(server)?.stop();
    const connections = [...(this.connectionsByServer.get(server) ?? [])];
    const queues = connections.map((connection) => (connection.socket as ChatSocket).queue);
    const drained = Promise.allSettled(queues).then(() => this.options.beforeClose?.());
    await Promise.race([drained, delay(DRAIN_TIMEOUT_MS)]);
    const open = [...(this.connectionsByServer.get(server) ?? [])];
    const closed = open.map(
      (connection) => new Promise<void>((resolve) => connection.socket.once('close', () => resolve())),
    );
    for (const connection of open) connection.close(CloseCode.goingAway, 'server shutting down');
    await Promise.race([Promise.all(closed), delay(SHUTDOWN_GRACE_MS)]);
    for (const connection of open) connection.terminate();
    await super.close(server);
  }

  private async dispatch(socket: ChatSocket, raw: Buffer, isBinary: boolean): Promise<void> {
    const connection = socket.connection!;
    if (!connection.isOpen) return;
    if (isBinary) {
      reportError(
        connection,
        new BadRequestError('binary frames are not supported; send JSON in text frames'),
      );
      return;
    }
    const frame = parseFrame(raw.toString('utf8'), connection.protocol);
    if (!frame.ok) {
      reportError(connection, new BadRequestError(frame.message), { event: frame.event });
      return;
    }
    if (SEND_EVENTS.has(frame.event)) {
      const rate = this.frames.waitForRate(socket, 'send', () => connection.rateLimits.sendWait());
      if (rate) await rate;
      if (!connection.isOpen) return;
    }
    const callback = socket.handlers?.find((handler) => handler.message === frame.event)?.callback as
      Callback | undefined;
    if (!callback) {
      reportError(connection, new BadRequestError(`event "${frame.event}" is not handled`), {
        event: frame.event,
      });
      return;
    }
    try {
      // Errors inside handlers are turned into error frames by the gateway's exception filter;
      // anything that still escapes is a bug in our code, not the client's.
      let reply = await callback(frame.data, frame.event);
      if (isObservable(reply)) reply = await lastValueFrom(reply, { defaultValue: undefined });
      if (isServerFrame(reply)) connection.send(reply.event, reply.data);
    } catch (error) {
      reportError(connection, error, { event: frame.event });
    }
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}

function isServerFrame(value: unknown): value is ServerFrame {
  return typeof value === 'object' && value !== null && 'event' in value && 'data' in value;
}
