import type { SocketState } from '@chat/client';

export interface ConnectionSummary {
  tone: 'ok' | 'busy' | 'bad';
  /** Short, changes only when the situation does: what the live region announces. */
  title: string;
  /** The ticking part ("Reconnecting in 4 s"), kept out of the live region. */
  detail: string | null;
  /** Pending messages, said the way that is true right now. */
  pending: string | null;
  /** A "Retry now" would do something: a wait is scheduled, or the socket gave up. */
  canRetry: boolean;
}

interface Input {
  state: Pick<SocketState, 'status' | 'lastClose'>;
  /** Whole seconds until the next attempt (0: none scheduled, or one is under way). */
  secondsLeft: number;
  pending: number;
  /** What the browser says about the network (navigator.onLine). */
  online: boolean;
}

/** What the connection banner says: only what the socket's state makes true. */
export function summarizeConnection({ state, secondsLeft, pending, online }: Input): ConnectionSummary {
  const waiting = pending > 0 ? `${pending} waiting to send` : null;
  switch (state.status) {
    case 'open':
      return {
        tone: 'ok',
        title: 'Connected',
        detail: null,
        pending: pending > 0 ? `${pending} sending` : null,
        canRetry: false,
      };
    case 'connecting':
      return { tone: 'busy', title: 'Connecting…', detail: null, pending: waiting, canRetry: false };
    case 'reconnecting':
      return {
        tone: 'busy',
        title: online ? 'Connection lost' : 'You are offline',
        detail: secondsLeft > 0 ? `Reconnecting in ${secondsLeft} s` : 'Reconnecting…',
        pending: waiting,
        canRetry: secondsLeft > 0,
      };
    case 'offline':
      return {
        tone: 'busy',
        title: 'You are offline',
        detail: secondsLeft > 0 ? `Reconnecting in ${secondsLeft} s` : 'Reconnecting…',
        pending: waiting,
        canRetry: secondsLeft > 0,
      };
    case 'closed':
      return {
        tone: 'bad',
        title: 'Disconnected',
        detail: state.lastClose?.code === 4403 ? 'The server refused this connection' : null,
        pending: waiting,
        canRetry: true,
      };
  }
}
