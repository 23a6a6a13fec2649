import type { PendingMessage } from '@chat/client';

interface PendingStateProps {
  pending: PendingMessage;
  onRetry: (clientId: string) => void;
  onDiscard: (clientId: string) => void;
}

/** "Sending…", or why it was not sent with what the user can do about it. */
export function PendingState({ pending, onRetry, onDiscard }: PendingStateProps) {
  if (pending.status === 'sending') return <span className="message__state">Sending…</span>;
  return (
    <span className="message__state message__state--failed" role="alert">
      Not sent: {pending.error}{' '}
      <button type="button" className="link-button" onClick={() => onRetry(pending.clientId)}>
        Retry
      </button>{' '}
      <button type="button" className="link-button" onClick={() => onDiscard(pending.clientId)}>
        Discard
      </button>
    </span>
  );
}
