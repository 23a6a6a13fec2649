import type { ChatMessage, ServerFrame } from '@chat/contracts';
import type { ChatState, PendingMessage } from '../chat/chat-state.js';
import type { StorageLike } from '../chat/persistence.js';
import type { ReconnectingSocketOptions } from '../socket/reconnecting-socket.js';
import type { SocketState } from '../socket/types.js';

export interface ChatSessionOptions {
  /** The WebSocket endpoint, `ws://host:port/ws` (`wss://` under TLS). */
  url: string;
  /**
   * Whose session this is, when known before the welcome: the outbox and the room list are kept
   * in `storage` under this id (and survive a reload); a guest also joins the rooms it holds.
   */
  user?: { id: string; guest?: boolean };
  /**
   * Where the outbox and the room list are kept. Default: `localStorage` where there is one (not
   * in Node); `null`: nowhere (the session still keeps its outbox in memory while it lives).
   */
  storage?: StorageLike | null;
  /**
   * How the socket connects and reconnects: `WebSocketImpl` (pass `ws`'s WebSocket in Node 20),
   * `createSocket` (headers such as `Authorization: Bearer <token>`), `backoff`, `network`.
   */
  socket?: Omit<ReconnectingSocketOptions, 'protocols' | 'heartbeat'>;
  /** How often to send an app `ping` (and reconnect after 2.5 times as long without a frame). Default 20 s. */
  heartbeatMs?: number;
  /** Makes each message's clientId. Default: `crypto.randomUUID()`. */
  newClientId?: () => string;
}

/** What a session shows: the chat's state and the socket's, replaced (never mutated) on every change. */
export interface ChatSnapshot {
  chat: ChatState;
  connection: SocketState;
}

/** Where a new message goes besides the active room's main conversation. */
export interface SendOptions {
  /** The room to write in. Default: the active room (or the thread's room). */
  room?: string;
  /** The id of the message it answers (quoted). */
  replyTo?: string;
  /** The root of the thread it is a reply in (the thread's room, not the active one). */
  thread?: { room: string; root: string };
  /** Ids of files already uploaded (`POST /api/uploads`) that the message carries. */
  attachments?: string[];
  /**
   * The message's clientId; default: a new one. Give the same one to a message kept elsewhere
   * until it could be sent (the web app's messages waiting for files): the server stores it once.
   */
  clientId?: string;
}

/** Called with each message that is news (see ArrivalTracker), from anyone, in any room. */
export type ArrivalListener = (message: ChatMessage) => void;

/** Called with every valid frame the server sends, after the session has handled it. */
export type FrameListener = (frame: ServerFrame) => void;

/** Called once per message of ours the server has stored (see `ChatSession.onDelivered`). */
export type DeliveredListener = (pending: PendingMessage) => void;
