import { useEffect, useState } from 'react';
import type { UseWebSocketResult } from '../hooks/useWebSocket.js';

const LABELS = {
  connecting: 'Connecting…',
  open: 'Connected',
  reconnecting: 'Reconnecting…',
  closed: 'Disconnected',
} as const;

/** The truth about the connection: state, a countdown to the next attempt, and "retry now". */
export function ConnectionStatus({
  connection,
  pending = 0,
}: {
  connection: UseWebSocketResult;
  pending?: number;
}) {
  const { status, nextRetryAt, reconnect } = connection;
  const seconds = useSecondsUntil(nextRetryAt);
  const label = status === 'reconnecting' && seconds > 0 ? `Reconnecting in ${seconds} s…` : LABELS[status];
  return (
    <div className={`connection connection--${status}`} role="status" aria-live="polite">
      <span className="connection__dot" aria-hidden="true" />
      <span>{label}</span>
      {pending > 0 && <span className="connection__pending">· {pending} waiting to send</span>}
      {(status === 'reconnecting' || status === 'closed') && (
        <button type="button" className="link-button" onClick={reconnect}>
          Retry now
        </button>
      )}
    </div>
  );
}

function useSecondsUntil(time: number | null): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (time === null) return;
    const timer = setInterval(() => setNow(Date.now()), 250);
    return () => clearInterval(timer);
  }, [time]);
  return time === null ? 0 : Math.max(0, Math.ceil((time - now) / 1000));
}
