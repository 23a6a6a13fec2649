import type { UseWebSocketResult } from '@chat/client/react';
import { useOnline } from '../hooks/useOnline.js';
import { useSecondsUntil } from '../hooks/useSecondsUntil.js';
import { summarizeConnection } from './connection-summary.js';

/**
 * The truth about the connection: a quiet "Connected" while all is well, otherwise a banner with
 * what happened, a countdown to the next attempt, what is waiting to be sent, and "Retry now".
 * Only the title is a live region: the countdown would otherwise be read out every second.
 */
export function ConnectionStatus({
  connection,
  pending,
}: {
  connection: UseWebSocketResult;
  pending: number;
}) {
  const secondsLeft = useSecondsUntil(connection.nextRetryAt);
  const online = useOnline();
  const summary = summarizeConnection({ state: connection, secondsLeft, pending, online });
  return (
    <div className={`connection connection--${connection.status} connection--${summary.tone}`}>
      <span className="connection__dot" aria-hidden="true" />
      <span className="connection__title" role="status">
        {summary.title}
      </span>
      {summary.detail && <span className="connection__detail">{summary.detail}</span>}
      {summary.pending && <span className="connection__pending">{summary.pending}</span>}
      {summary.canRetry && (
        <button type="button" className="connection__retry" onClick={connection.reconnect}>
          Retry now
        </button>
      )}
    </div>
  );
}
