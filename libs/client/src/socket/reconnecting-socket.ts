import { NO_RECONNECT_CLOSE_CODES } from '@chat/contracts';
import { backoffDelay, type BackoffOptions } from './backoff.js';
import { browserSignals, NO_SIGNALS, type NetworkSignals } from './network-signals.js';
import type { CloseInfo, HeartbeatOptions, SocketState } from './types.js';
import { OPEN, type CreateSocket, type WebSocketConstructor, type WebSocketLike } from './websocket-like.js';

export interface ReconnectingSocketOptions {
  /** Subprotocols offered at every (re)connection. */
  protocols?: string[];
  backoff?: BackoffOptions;
  /** An application-level ping that detects links that died without a close. */
  heartbeat?: HeartbeatOptions;
  /**
   * Whether to reconnect after a close. Default: always, except after close codes 4401/4403
   * (unauthorized, forbidden), where trying again cannot help.
   */
  shouldReconnect?: (close: CloseInfo) => boolean;
  /**
   * The WebSocket class to use. Default: the global one (browsers, Node 22+); in Node 20 pass
   * `WebSocket` from `ws`.
   */
  WebSocketImpl?: WebSocketConstructor;
  /** Makes each attempt's socket instead of `WebSocketImpl` (headers in Node, for instance). */
  createSocket?: CreateSocket;
  /**
   * Network and attention signals: `offline` as soon as the runtime says so, and an attempt at
   * once on `online`, focus and the tab becoming visible. Default: the browser's, none in Node;
   * `false` turns them off.
   */
  network?: NetworkSignals | false;
}

type MessageListener = (data: string) => void;
type StateListener = (state: SocketState) => void;

/** An open socket counts as healthy (and resets the backoff) only after staying up this long. */
const STABLE_AFTER_MS = 5_000;
const defaultShouldReconnect = (close: CloseInfo) => !NO_RECONNECT_CLOSE_CODES.includes(close.code);

/**
 * A WebSocket that reconnects by itself (capped exponential backoff, full jitter), watches the
 * link with an application-level heartbeat, follows the network (offline at once, an attempt
 * at once when it is back or the user returns), and reports its state. Framework-free; knows
 * nothing about what the frames mean.
 */
export class ReconnectingSocket {
  private socket: WebSocketLike | null = null;
  private state: SocketState = { status: 'connecting', nextRetryAt: null, attempt: 0, lastClose: null };
  private readonly messageListeners = new Set<MessageListener>();
  private readonly stateListeners = new Set<StateListener>();
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private heartbeatTimer: ReturnType<typeof setInterval> | undefined;
  private stableTimer: ReturnType<typeof setTimeout> | undefined;
  private probeTimer: ReturnType<typeof setTimeout> | undefined;
  private lastReceivedAt = 0;
  private stopped = false;
  private readonly network: NetworkSignals;
  private offline: boolean;
  private readonly stopWatching: () => void;

  constructor(
    private readonly url: string,
    private readonly options: ReconnectingSocketOptions = {},
  ) {
    this.network = options.network === false ? NO_SIGNALS : (options.network ?? browserSignals());
    this.offline = !this.network.isOnline();
    this.stopWatching = this.network.watch({
      onOnline: () => this.wentOnline(),
      onOffline: () => this.wentOffline(),
      onWake: () => this.woke(),
    });
    this.connect();
  }

  getState(): SocketState {
    return this.state;
  }

  /** Sends if the socket is open; returns false (and sends nothing) otherwise. */
  send(data: string): boolean {
    if (this.socket?.readyState !== OPEN) return false;
    this.socket.send(data);
    return true;
  }

  onMessage(listener: MessageListener): () => void {
    this.messageListeners.add(listener);
    return () => this.messageListeners.delete(listener);
  }

  /** Calls `listener` with the current state at once, then on every change. */
  onState(listener: StateListener): () => void {
    this.stateListeners.add(listener);
    listener(this.state);
    return () => this.stateListeners.delete(listener);
  }

  /** Skips the wait and tries now (a "retry now" button); also revives a socket that gave up. */
  reconnectNow(): void {
    if (this.stopped) return;
    clearTimeout(this.retryTimer);
    if (this.socket && this.socket.readyState <= 1) return;
    this.connect();
  }

  /** Closes for good: no reconnect, no more events. */
  close(code = 1000, reason = 'client closed'): void {
    this.stopped = true;
    this.stopWatching();
    clearTimeout(this.retryTimer);
    this.stopHeartbeat();
    this.socket?.close(code, reason);
    this.setState({ status: 'closed', nextRetryAt: null });
    this.messageListeners.clear();
    this.stateListeners.clear();
  }

  /** The network is back: whatever the backoff said, now is the moment to try. */
  private wentOnline(): void {
    this.offline = false;
    // A socket that gave up (4401, 4403) stays closed: the network was not the reason.
    if (this.stopped || this.state.status === 'closed') return;
    if (this.state.status === 'open') {
      this.probe(); // another network, maybe: is this link still there?
      return;
    }
    if (this.socket) this.setState({ status: 'reconnecting' }); // an attempt under way
    this.reconnectNow();
    // Should this attempt fail too, the next wait starts from the shortest again.
    this.setState({ attempt: 0 });
  }

  /**
   * The runtime says there is no network (reliable, unlike "online"): an open socket is taken as
   * dead rather than left to say "connected" until its heartbeat times out. Attempts go on at
   * the backoff's pace, in case the runtime is wrong.
   */
  private wentOffline(): void {
    this.offline = true;
    if (this.stopped || this.state.status === 'closed') return;
    if (this.socket?.readyState === OPEN) {
      this.drop(4000, 'offline');
      return;
    }
    this.setState({ status: 'offline' });
  }

  /** Focus, or the tab visible again: the user is looking, so skip the wait. */
  private woke(): void {
    if (this.state.status === 'reconnecting' || this.state.status === 'offline') this.reconnectNow();
    else if (this.state.status === 'open') this.probe();
  }

  /** Asks for a sign of life now, and starts over if none comes soon (see `probeTimeoutMs`). */
  private probe(): void {
    const heartbeat = this.options.heartbeat;
    if (!heartbeat || this.probeTimer !== undefined) return;
    const askedAt = Date.now();
    this.send(typeof heartbeat.message === 'function' ? heartbeat.message() : heartbeat.message);
    this.probeTimer = setTimeout(() => {
      this.probeTimer = undefined;
      if (this.lastReceivedAt < askedAt && this.state.status === 'open')
        this.drop(4000, 'no answer after wake');
    }, heartbeat.probeTimeoutMs ?? 5_000);
  }

  /** What to call a wait or an attempt that is not the first. */
  private get retryStatus(): 'reconnecting' | 'offline' {
    return this.offline ? 'offline' : 'reconnecting';
  }

  private open(): WebSocketLike {
    const { createSocket, WebSocketImpl, protocols } = this.options;
    if (createSocket) return createSocket(this.url, protocols);
    const Impl = WebSocketImpl ?? (globalThis as { WebSocket?: WebSocketConstructor }).WebSocket;
    if (!Impl)
      throw new Error('No WebSocket in this runtime: pass WebSocketImpl (ws in Node) or createSocket');
    return new Impl(this.url, protocols);
  }

  private connect(): void {
    const socket = this.open();
    this.socket = socket;
    this.setState({
      status: this.state.attempt === 0 && !this.offline ? 'connecting' : this.retryStatus,
      nextRetryAt: null,
    });
    socket.onopen = () => {
      this.lastReceivedAt = Date.now();
      this.setState({ status: 'open', nextRetryAt: null });
      // A server that accepts and then drops us at once must not get an instant retry loop.
      this.stableTimer = setTimeout(() => this.setState({ attempt: 0 }), STABLE_AFTER_MS);
      this.startHeartbeat();
    };
    socket.onmessage = (event: { data: unknown }) => {
      this.lastReceivedAt = Date.now();
      if (typeof event.data !== 'string') return;
      for (const listener of this.messageListeners) listener(event.data);
    };
    socket.onclose = (event: { code: number; reason: string }) => {
      if (this.socket !== socket) return;
      this.socket = null;
      this.stopHeartbeat();
      if (this.stopped) return;
      this.scheduleReconnect({ code: event.code, reason: event.reason, final: false });
    };
    // Errors are always followed by a close event, which does the work.
    socket.onerror = () => undefined;
  }

  private scheduleReconnect(close: CloseInfo): void {
    const shouldReconnect = this.options.shouldReconnect ?? defaultShouldReconnect;
    if (!shouldReconnect(close)) {
      this.setState({ status: 'closed', nextRetryAt: null, lastClose: { ...close, final: true } });
      return;
    }
    const delay = backoffDelay(this.state.attempt, this.options.backoff);
    this.setState({
      status: this.retryStatus,
      attempt: this.state.attempt + 1,
      nextRetryAt: Date.now() + delay,
      lastClose: close,
    });
    this.retryTimer = setTimeout(() => this.connect(), delay);
  }

  private startHeartbeat(): void {
    const heartbeat = this.options.heartbeat;
    if (!heartbeat) return;
    const intervalMs = heartbeat.intervalMs ?? 20_000;
    const timeoutMs = heartbeat.timeoutMs ?? intervalMs * 2.5;
    this.heartbeatTimer = setInterval(() => {
      if (Date.now() - this.lastReceivedAt > timeoutMs) {
        // The link is dead without having said so (sleep, lost Wi-Fi): drop it and start over.
        this.drop(4000, 'heartbeat timeout');
        return;
      }
      const message = typeof heartbeat.message === 'function' ? heartbeat.message() : heartbeat.message;
      this.send(message);
    }, intervalMs);
  }

  /** Gives up on the current socket without waiting for its close event, and schedules the next. */
  private drop(code: number, reason: string): void {
    const socket = this.socket;
    this.socket = null;
    this.stopHeartbeat();
    socket?.close(code, reason);
    this.scheduleReconnect({ code, reason, final: false });
  }

  private stopHeartbeat(): void {
    clearInterval(this.heartbeatTimer);
    clearTimeout(this.stableTimer);
    clearTimeout(this.probeTimer);
    this.probeTimer = undefined;
  }

  private setState(patch: Partial<SocketState>): void {
    this.state = { ...this.state, ...patch };
    for (const listener of this.stateListeners) listener(this.state);
  }
}
