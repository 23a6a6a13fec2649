/**
 * Where a {@link ReconnectingSocket} is in its life. `offline`: the runtime says there is no
 * network (`navigator.onLine`, the `offline` event); attempts go on at the backoff's pace and
 * the next one starts at once when the network is back.
 */
export type SocketStatus = 'connecting' | 'open' | 'reconnecting' | 'offline' | 'closed';

/** Why the socket last closed, as the server (or browser) said it. */
export interface CloseInfo {
  code: number;
  reason: string;
  /** True when the socket gave up and will not reconnect by itself. */
  final: boolean;
}

export interface HeartbeatOptions {
  /** Frame sent to ask the server for a sign of life. */
  message: string | (() => string);
  /** How often to send it. Default 20 s. */
  intervalMs?: number;
  /** Reconnect when nothing at all arrived for this long. Default 2.5 x intervalMs. */
  timeoutMs?: number;
  /**
   * When the user comes back (focus, the tab visible) or the network does, an open socket may
   * have died meanwhile without a word (a laptop that slept): the message goes out at once, and
   * the socket is dropped and reconnected if nothing arrives within this long. Default 5 s.
   */
  probeTimeoutMs?: number;
}

export interface SocketState {
  status: SocketStatus;
  /** When the next reconnect attempt is due (epoch ms), while reconnecting or offline. */
  nextRetryAt: number | null;
  /** Consecutive failed attempts since the last open socket. */
  attempt: number;
  lastClose: CloseInfo | null;
}
