import { useEffect, useRef } from 'react';
import type { ChatMessage } from '@chat/contracts';
import type { PendingMessage } from '../chat/chat-state.js';

interface MessageListProps {
  messages: ChatMessage[];
  pending: PendingMessage[];
  myName: string;
  onRetry: (clientId: string) => void;
  onDiscard: (clientId: string) => void;
}

export function formatClock(iso: string): string {
  return new Date(iso).toLocaleTimeString([], {
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hour12: false,
  });
}

/** Messages as `[time] name: text`, then the user's unacknowledged ones. Text is never HTML. */
export function MessageList({ messages, pending, myName, onRetry, onDiscard }: MessageListProps) {
  const endRef = useRef<HTMLLIElement>(null);
  useEffect(() => {
    endRef.current?.scrollIntoView?.({ block: 'end' });
  }, [messages.length, pending.length]);

  return (
    <ol className="messages" role="log" aria-live="polite" aria-label="Messages">
      {messages.length === 0 && pending.length === 0 && (
        <li className="messages__empty">No messages yet. Say hi!</li>
      )}
      {messages.map((message) => (
        <li key={message.id} className="message">
          <time dateTime={message.time}>[{formatClock(message.time)}]</time>{' '}
          <span className="message__name">{message.user.name}</span>:{' '}
          <span className="message__text">{message.text}</span>
        </li>
      ))}
      {pending.map((p) => (
        <li key={p.clientId} className={`message message--${p.status}`}>
          <time dateTime={p.createdAt}>[{formatClock(p.createdAt)}]</time>{' '}
          <span className="message__name">{myName}</span>: <span className="message__text">{p.text}</span>{' '}
          {p.status === 'sending' ? (
            <span className="message__state">sending…</span>
          ) : (
            <span className="message__state message__state--failed">
              not sent: {p.error}{' '}
              <button type="button" className="link-button" onClick={() => onRetry(p.clientId)}>
                Retry
              </button>{' '}
              <button type="button" className="link-button" onClick={() => onDiscard(p.clientId)}>
                Discard
              </button>
            </span>
          )}
        </li>
      ))}
      <li ref={endRef} aria-hidden="true" className="messages__end" />
    </ol>
  );
}
