import { backoffDelay, type BackoffOptions } from './backoff.js';
import type { CloseInfo, HeartbeatOptions, SocketState } from './types.js';

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
  /** The WebSocket constructor to use (tests, non-browser runtimes). Default: the global one. */
  WebSocketImpl?: typeof WebSocket;
}

type MessageListener = (data: string) => void;
type StateListener = (state: SocketState) => void;

const FATAL_CLOSE_CODES = [4401, 4403];
/** An open socket counts as healthy (and resets the backoff) only after staying up this long. */
const STABLE_AFTER_MS = 5_000;
const defaultShouldReconnect = (close: CloseInfo) => !FATAL_CLOSE_CODES.includes(close.code);

/**
 * A WebSocket that reconnects by itself (capped exponential backoff, full jitter), watches the
 * link with an application-level heartbeat, and reports its state. Framework-free; knows
 * nothing about what the frames mean.
 */
export class ReconnectingSocket {
  private socket: WebSocket | null = null;
  private state: SocketState = { status: 'connecting', nextRetryAt: null, attempt: 0, lastClose: null };
  private readonly messageListeners = new Set<MessageListener>();
  private readonly stateListeners = new Set<StateListener>();
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private heartbeatTimer: ReturnType<typeof setInterval> | undefined;
  private stableTimer: ReturnType<typeof setTimeout> | undefined;
  private lastReceivedAt = 0;
  private stopped = false;

  constructor(
    private readonly url: string,
    private readonly options: ReconnectingSocketOptions = {},
  ) {
    this.connect();
  }

  getState(): SocketState {
    return this.state;
  }

  /** Sends if the socket is open; returns false (and sends nothing) otherwise. */
  send(data: string): boolean {
    if (this.socket?.readyState !== 1) return false;
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
    clearTimeout(this.retryTimer);
    this.stopHeartbeat();
    this.socket?.close(code, reason);
    this.setState({ status: 'closed', nextRetryAt: null });
    this.messageListeners.clear();
    this.stateListeners.clear();
  }

  private connect(): void {
    const Impl = this.options.WebSocketImpl ?? WebSocket;
    const socket = new Impl(this.url, this.options.protocols);
    this.socket = socket;
    this.setState({ status: this.state.attempt === 0 ? 'connecting' : 'reconnecting', nextRetryAt: null });
    socket.onopen = () => {
      this.lastReceivedAt = Date.now();
      this.setState({ status: 'open', nextRetryAt: null });
      // A server that accepts and then drops us at once must not get an instant retry loop.
      this.stableTimer = setTimeout(() => this.setState({ attempt: 0 }), STABLE_AFTER_MS);
      this.startHeartbeat();
    };
    socket.onmessage = (event: MessageEvent) => {
      this.lastReceivedAt = Date.now();
      if (typeof event.data !== 'string') return;
      for (const listener of this.messageListeners) listener(event.data);
    };
    socket.onclose = (event: CloseEvent) => {
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
      status: 'reconnecting',
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
        const socket = this.socket;
        this.socket = null;
        this.stopHeartbeat();
        socket?.close(4000, 'heartbeat timeout');
        this.scheduleReconnect({ code: 4000, reason: 'heartbeat timeout', final: false });
        return;
      }
      const message = typeof heartbeat.message === 'function' ? heartbeat.message() : heartbeat.message;
      this.send(message);
    }, intervalMs);
  }

  private stopHeartbeat(): void {
    clearInterval(this.heartbeatTimer);
    clearTimeout(this.stableTimer);
  }

  private setState(patch: Partial<SocketState>): void {
    this.state = { ...this.state, ...patch };
    for (const listener of this.stateListeners) listener(this.state);
  }
}
