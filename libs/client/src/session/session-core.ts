import { PROTOCOL_V1, ServerFrameSchema, type ServerFrame } from '@chat/contracts';
import { ArrivalTracker } from '../chat/arrivals.js';
import { chatReducer, type ChatAction } from '../chat/chat-reducer.js';
import { initialChatState, type ChatState, type PendingMessage } from '../chat/chat-state.js';
import { frame } from '../chat/frames.js';
import {
  defaultStorage,
  loadOutbox,
  loadRooms,
  saveOutbox,
  saveRooms,
  type StorageLike,
} from '../chat/persistence.js';
import { ReconnectingSocket } from '../socket/reconnecting-socket.js';
import type { SocketState } from '../socket/types.js';
import { handleFrame, type FrameContext } from './handle-frame.js';
import { OutboxSender, RESEND_AFTER_MS } from './outbox-sender.js';
import { ReadMarks } from './read-marks.js';
import { RoomJoins } from './room-joins.js';
import type {
  ArrivalListener,
  ChatSessionOptions,
  ChatSnapshot,
  DeliveredListener,
  FrameListener,
} from './types.js';

const HEARTBEAT_INTERVAL_MS = 20_000;
/** Actions after which a message that left the outbox is stored (not discarded, not a command's answer). */
const STORED_BY = new Set<ChatAction['type']>(['acked', 'joined', 'message']);
/**
 * Before the first start the session is about to connect (a UI must not flash "Disconnected"
 * before its effect has run); after a stop it is closed.
 */
const NOT_STARTED: SocketState = { status: 'connecting', nextRetryAt: null, attempt: 0, lastClose: null };
const STOPPED: SocketState = { ...NOT_STARTED, status: 'closed' };

/**
 * The session's machinery: its state and snapshot, the socket's life, the frame handler and the
 * timers. {@link ChatSession} adds the user's actions on top.
 */
export class SessionCore {
  protected state: ChatState;
  private snapshot: ChatSnapshot;
  private socket: ReconnectingSocket | null = null;
  private stopSocket: (() => void) | null = null;
  private readonly listeners = new Set<() => void>();
  private readonly arrivalListeners = new Set<ArrivalListener>();
  private readonly frameListeners = new Set<FrameListener>();
  private readonly rawListeners = new Set<(data: string) => void>();
  private readonly deliveredListeners = new Set<DeliveredListener>();
  private readonly storage: StorageLike | null;
  private readonly arrivals = new ArrivalTracker();
  protected readonly joins: RoomJoins;
  protected readonly outbox: OutboxSender;
  protected readonly reads: ReadMarks;
  /** What each `history` request on this socket pages, in order (for answers that do not echo it). */
  protected readonly historyAsked: (string | undefined)[] = [];
  private readonly frames: FrameContext;
  private resendTimer: ReturnType<typeof setInterval> | undefined;
  private typingTimer: ReturnType<typeof setInterval> | undefined;

  constructor(protected readonly options: ChatSessionOptions) {
    this.storage = options.storage === undefined ? defaultStorage() : options.storage;
    const id = options.user?.id;
    const { joined, active } = id ? loadRooms(id, this.storage) : loadRooms('', null);
    this.state = initialChatState(joined, active, id ? loadOutbox(id, this.storage) : []);
    this.snapshot = { chat: this.state, connection: NOT_STARTED };
    const send = (data: string) => this.socket?.send(data) ?? false;
    this.joins = new RoomJoins(send, (room) => this.state.rooms.get(room)?.lastSeq, this.arrivals);
    this.outbox = new OutboxSender({
      send,
      outbox: () => this.state.outbox,
      isLive: (room) => this.joins.live.has(room),
      me: () => this.state.me?.id,
    });
    this.reads = new ReadMarks(send);
    this.frames = {
      state: () => this.state,
      dispatch: (action) => this.dispatch(action),
      joins: this.joins,
      outbox: this.outbox,
      arrivals: this.arrivals,
      historyAsked: this.historyAsked,
      announce: (messages) => {
        for (const message of messages) for (const listener of this.arrivalListeners) listener(message);
      },
      guest: () => this.state.me?.guest ?? options.user?.guest ?? false,
      retryTimer: undefined,
      joinRetries: new Map(),
    };
  }

  /** Connects; from then on reconnects by itself until {@link stop}. */
  start(): void {
    if (this.socket) return;
    const socket = new ReconnectingSocket(this.options.url, {
      ...this.options.socket,
      protocols: [PROTOCOL_V1],
      heartbeat: {
        message: () => frame('ping', { t: Date.now() }),
        intervalMs: this.options.heartbeatMs ?? HEARTBEAT_INTERVAL_MS,
      },
    });
    this.socket = socket;
    const stopState = socket.onState((connection) => this.connectionChanged(connection));
    const stopMessages = socket.onMessage((raw) => this.received(raw));
    this.stopSocket = () => {
      stopState();
      stopMessages();
      socket.close();
    };
  }

  /** Closes the socket and stops every timer; the state (and outbox) is kept for a later start. */
  stop(): void {
    this.stopSocket?.();
    this.stopSocket = null;
    this.socket = null;
    clearTimeout(this.frames.retryTimer);
    for (const timer of this.frames.joinRetries.values()) clearTimeout(timer);
    this.frames.joinRetries.clear();
    this.reads.stop();
    this.outbox.reset();
    this.joins.reset();
    this.setTimers(false, false);
    this.publish(STOPPED);
  }

  /** The current snapshot (the same object until something changes). */
  getSnapshot = (): ChatSnapshot => this.snapshot;

  /** Calls `listener` after every change; returns the function that stops listening. */
  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /** Listens to arrivals (messages that are news); returns the function that stops listening. */
  onArrival(listener: ArrivalListener): () => void {
    this.arrivalListeners.add(listener);
    return () => this.arrivalListeners.delete(listener);
  }

  /** Listens to every valid server frame (acks included), after it was handled. */
  onFrame(listener: FrameListener): () => void {
    this.frameListeners.add(listener);
    return () => this.frameListeners.delete(listener);
  }

  /**
   * Listens to messages of ours the server has stored: each clientId once, when it leaves the
   * outbox, whether its `ack` came or (the ack lost with a connection) its stored copy did.
   */
  onDelivered(listener: DeliveredListener): () => void {
    this.deliveredListeners.add(listener);
    return () => this.deliveredListeners.delete(listener);
  }

  /** Listens to every text frame as it came, valid or not (before it is handled). */
  onRawMessage(listener: (data: string) => void): () => void {
    this.rawListeners.add(listener);
    return () => this.rawListeners.delete(listener);
  }

  /** Messages written and not acknowledged yet (sending or failed). */
  get pendingCount(): number {
    return this.state.outbox.length;
  }

  /** Sends a raw text frame if the socket is open (false otherwise: nothing is queued). */
  sendRaw(data: string): boolean {
    return this.socket?.send(data) ?? false;
  }

  /** Skips the backoff's wait and tries to connect now. */
  reconnect(): void {
    this.socket?.reconnectNow();
  }

  protected dispatch(action: ChatAction): void {
    const before = this.state;
    const next = chatReducer(before, action);
    if (next === before) return;
    this.state = next;
    const id = this.options.user?.id;
    if (id && next.outbox !== before.outbox) saveOutbox(id, next.outbox, this.storage);
    if (id && (next.joined !== before.joined || next.active !== before.active))
      saveRooms(id, next.joined, next.active, this.storage);
    if (this.socket) this.updateTimers();
    this.publish(this.snapshot.connection);
    if (STORED_BY.has(action.type) && next.outbox !== before.outbox)
      this.delivered(before.outbox, next.outbox);
  }

  private delivered(before: readonly PendingMessage[], after: readonly PendingMessage[]): void {
    const left = new Set(after.map((p) => p.clientId));
    for (const pending of before)
      if (!left.has(pending.clientId)) for (const listener of this.deliveredListeners) listener(pending);
  }

  private received(raw: string): void {
    for (const listener of this.rawListeners) listener(raw);
    let incoming: ServerFrame;
    try {
      const parsed = ServerFrameSchema.safeParse(JSON.parse(raw));
      if (!parsed.success) return; // an event this client does not know, or a malformed one
      incoming = parsed.data;
    } catch {
      return;
    }
    handleFrame(this.frames, incoming);
    this.joins.askGaps(this.state.rooms);
    for (const listener of this.frameListeners) listener(incoming);
  }

  private connectionChanged(connection: SocketState): void {
    if (connection.status !== 'open' && connection.status !== this.snapshot.connection.status) {
      this.joins.reset();
      this.historyAsked.length = 0;
      this.outbox.reset();
      this.dispatch({ type: 'disconnected' });
    }
    this.publish(connection);
  }

  protected clientId(): string {
    return this.options.newClientId?.() ?? crypto.randomUUID();
  }

  private updateTimers(): void {
    const sending = this.state.outbox.some((p) => p.status === 'sending');
    const typing = [...this.state.rooms.values()].some((room) => room.typing.length > 0);
    this.setTimers(sending, typing);
  }

  private setTimers(resend: boolean, typing: boolean): void {
    if (resend && !this.resendTimer)
      this.resendTimer = setInterval(() => this.outbox.resendStale(Date.now()), RESEND_AFTER_MS / 2);
    if (!resend && this.resendTimer) {
      clearInterval(this.resendTimer);
      this.resendTimer = undefined;
    }
    // Typing notices expire on their own.
    if (typing && !this.typingTimer)
      this.typingTimer = setInterval(() => {
        this.dispatch({ type: 'expireTyping', now: Date.now() });
        this.updateTimers();
      }, 500);
    if (!typing && this.typingTimer) {
      clearInterval(this.typingTimer);
      this.typingTimer = undefined;
    }
  }

  private publish(connection: SocketState): void {
    if (this.snapshot.chat === this.state && this.snapshot.connection === connection) return;
    this.snapshot = { chat: this.state, connection };
    for (const listener of this.listeners) listener();
  }
}
