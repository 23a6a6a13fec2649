import { randomUUID } from 'node:crypto';
import type { Socket } from 'node:net';
import type { Ack, ErrorPayload, Notice, ServerEventMap, ServerEventName, User } from '@chat/contracts';
import { CloseCode } from '@chat/contracts';
import { WebSocket } from 'ws';
import { UnauthorizedError } from '../common/errors/chat-errors.js';
import type { BroadcastFrame } from './broadcast-frame.js';
import { ConnectionRateLimits, type RateLimitSettings } from './connection-rate-limits.js';
import { encodeTextFrame, textFramePayload } from './text-frame.js';
import { writeBatched } from './tick-cork.js';
import type { WireProtocol } from './wire-protocol.js';
import { WIRE_RENDERERS } from './wire-renderer.js';

/** How long a slow consumer gets to take its close frame before the socket is cut. */
const SLOW_CONSUMER_GRACE_MS = 1000;

export interface ConnectionLimits {
  /** Bytes queued to this client past which it is closed with 1013. */
  maxQueuedBytes: number;
  rates: RateLimitSettings;
  /** Told when this connection is dropped for reading too slowly (metrics). */
  onSlowConsumer?: () => void;
}

/**
 * One client's WebSocket as the rest of the server sees it, the transport's port: identity, and
 * meaningful verbs (deliver, ack, notice, fail, send, close) that each wire protocol renders in
 * its own way ({@link WIRE_RENDERERS}), so nothing outside ws/ asks which protocol a client
 * speaks. This is what Nest hands to gateway handlers, guards and filters.
 *
 * Kept small on purpose: an idle server holds one of these per client, so it keeps no request,
 * no closures and no per-connection maps (the adapter's listeners are shared by all sockets).
 */
export class ClientConnection {
  readonly id: string = randomUUID();
  readonly openedAt = Date.now();
  /** Heartbeats since the peer last showed signs of life (a frame or a pong). */
  missedBeats = 0;
  /** Rooms this connection has joined. */
  readonly rooms = new Set<string>();
  readonly rateLimits: ConnectionRateLimits;
  private identity: User | undefined;
  private closedForSlowness = false;
  /** Negotiated permessage-deflate: frames must go through ws, which compresses them. */
  private readonly compressed: boolean;

  constructor(
    /** For the adapter, which owns the socket's listeners; everyone else uses the methods below. */
    readonly socket: WebSocket,
    readonly protocol: WireProtocol,
    /** The TCP (or TLS) socket under `socket`: ready-made frames are written to it directly. */
    private readonly wire: Socket,
    /** The address a trusted proxy gave (X-Forwarded-For), if any. */
    private forwardedFor: string | undefined,
    private readonly limits: ConnectionLimits,
  ) {
    this.rateLimits = new ConnectionRateLimits(limits.rates);
    this.compressed = socket.extensions !== '';
  }

  /** The client's IP (from X-Forwarded-For when behind a trusted proxy); looked up when first asked. */
  get remoteAddress(): string {
    return (this.forwardedFor ??= this.wire.remoteAddress ?? 'unknown');
  }

  get isOpen(): boolean {
    return this.socket.readyState === WebSocket.OPEN;
  }

  get isAuthenticated(): boolean {
    return this.identity !== undefined;
  }

  /** The authenticated user; set once at connect time. */
  get user(): User {
    if (!this.identity) throw new UnauthorizedError('this connection has no identity yet');
    return this.identity;
  }

  /**
   * The account's token version this connection was opened with (0 for guests, whose tokens
   * are never revoked): a revocation closes the connections opened before it.
   */
  tokenVersion = 0;

  /**
   * Connected without a token (a guest named by `?name=`): such a connection has no lasting
   * membership and no own channel (no `rooms`); it reads and writes public rooms only.
   */
  tokenless = false;

  authenticate(user: User, tokenVersion = 0, tokenless = false): void {
    this.identity = user;
    this.tokenVersion = tokenVersion;
    this.tokenless = tokenless;
  }

  rename(name: string): void {
    this.identity = { ...this.user, name };
  }

  /**
   * The room this client is in from connect on, because its protocol has no `join` (simple:
   * general); null for a client that joins rooms itself.
   */
  get fixedRoom(): string | null {
    return WIRE_RENDERERS[this.protocol].fixedRoom;
  }

  /** An event to this client alone; protocols without such an event (simple) are told nothing. */
  send<E extends ServerEventName>(event: E, data: ServerEventMap[E]): void {
    this.emit(WIRE_RENDERERS[this.protocol].event(event, data));
  }

  /**
   * {@link ClientConnection.send} for data that is JSON already: a frame whose big part is the
   * same for everyone (welcome's limits) is serialized once, not once per connection.
   */
  sendJson<E extends ServerEventName>(event: E, dataJson: string): void {
    const json = WIRE_RENDERERS[this.protocol].eventJson(event, dataJson);
    if (json !== null) this.write(encodeTextFrame(json));
  }

  /** The client's message is stored. */
  ack(ack: Ack): void {
    this.emit(WIRE_RENDERERS[this.protocol].ack(ack));
  }

  /** Something for this client alone, not stored (a command's answer); may settle a pending send. */
  notice(notice: Notice): void {
    this.emit(WIRE_RENDERERS[this.protocol].notice(notice));
  }

  /** A refusal or failure, in whichever shape this client's protocol understands. Use reportError for a thrown value. */
  fail(error: ErrorPayload): void {
    this.emit(WIRE_RENDERERS[this.protocol].error(error));
  }

  /** A frame shared with other recipients; encoded once for all of them. */
  deliver(frame: BroadcastFrame): void {
    const bytes = frame.wireBytesFor(this.protocol);
    if (bytes) this.write(bytes);
  }

  private emit(payload: object | null): void {
    if (payload) this.write(encodeTextFrame(JSON.stringify(payload)));
  }

  close(code: number, reason: string): void {
    if (this.socket.readyState === WebSocket.OPEN || this.socket.readyState === WebSocket.CONNECTING) {
      this.socket.close(code, reason);
    }
  }

  terminate(): void {
    this.socket.terminate();
  }

  ping(): void {
    if (this.isOpen) this.socket.ping();
  }

  /**
   * Answers the client's WebSocket ping. ws would answer by itself (autoPong), outside the queue
   * cap: a client that pings and never reads made the server's memory grow without bound. So
   * pongs are ours, under the same cap as every other frame (and the adapter's frame rate).
   */
  pong(payload: Buffer): void {
    if (this.socket.readyState !== WebSocket.OPEN) return;
    // A pong is at most 127 bytes: 2 of header and a ping's payload of at most 125.
    if (this.socket.bufferedAmount + 2 + payload.length > this.limits.maxQueuedBytes) {
      this.closeAsSlowConsumer();
      return;
    }
    this.socket.pong(payload);
  }

  /**
   * Undefined while the client keeps up; otherwise resolves once what is queued for it has been
   * written out (or the socket closed). The adapter waits on it before handling the client's
   * next frame: a client that asks for pages faster than it reads them gets them as fast as it
   * reads, instead of piling them up to the queue cap and being closed with 1013.
   */
  whenWritable(): Promise<void> | undefined {
    if (!this.wire.writableNeedDrain || this.socket.readyState !== WebSocket.OPEN) return undefined;
    return new Promise((resolve) => {
      const done = () => {
        this.wire.off('drain', done);
        this.wire.off('close', done);
        resolve();
      };
      this.wire.on('drain', done);
      this.wire.on('close', done);
    });
  }

  /**
   * Writes a complete frame. Straight to the TCP socket: ws would build a header and issue a
   * syscall per frame and recipient, and this frame is shared by all of them. It stays in order
   * with what ws itself writes (pings, close frames), which also goes straight to that socket.
   */
  private write(frame: Buffer): void {
    if (this.socket.readyState !== WebSocket.OPEN) return;
    if (this.socket.bufferedAmount + frame.length > this.limits.maxQueuedBytes) {
      this.closeAsSlowConsumer();
      return;
    }
    if (this.compressed) {
      this.socket.send(textFramePayload(frame), { binary: false });
      return;
    }
    writeBatched(this.wire, frame);
  }

  /**
   * The client is not reading. Its close frame waits behind the unread data, so it gets a short
   * grace period and is then cut off: its memory must not grow, and nobody else waits on it.
   */
  private closeAsSlowConsumer(): void {
    if (this.closedForSlowness) return;
    this.closedForSlowness = true;
    this.limits.onSlowConsumer?.();
    this.socket.close(CloseCode.tryAgainLater, 'too slow: too many unread bytes queued');
    setTimeout(() => this.socket.terminate(), SLOW_CONSUMER_GRACE_MS).unref();
  }
}

/**
 * What room membership needs of a connection (chat/'s RoomRegistry and PresenceFanout): a
 * narrow view, so that their unit tests can stand in a plain object for it.
 */
export type RoomMember = Pick<ClientConnection, 'id' | 'user' | 'rooms' | 'deliver' | 'rename'>;
