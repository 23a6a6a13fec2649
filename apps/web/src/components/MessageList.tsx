import { Fragment, useLayoutEffect, useRef, useState, type UIEvent } from 'react';
import type { ChatMessage, User } from '@chat/contracts';
import type { PendingMessage } from '../chat/chat-state.js';
import { UserName } from './UserName.js';

interface MessageListProps {
  messages: ChatMessage[];
  pending: PendingMessage[];
  me: User | null;
  hasMore: boolean;
  loadingOlder: boolean;
  onLoadOlder: () => void;
  onRetry: (clientId: string) => void;
  onDiscard: (clientId: string) => void;
}

/** Distance from the bottom (px) within which the list sticks to new messages. */
const STICK_THRESHOLD = 48;

export function formatClock(iso: string): string {
  return new Date(iso).toLocaleTimeString([], {
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hour12: false,
  });
}

function formatDay(iso: string): string {
  return new Date(iso).toLocaleDateString([], {
    weekday: 'long',
    year: 'numeric',
    month: 'long',
    day: 'numeric',
  });
}

const dayOf = (iso: string) => new Date(iso).toDateString();

/**
 * Messages as `[time] name: text` with day separators, then the user's unacknowledged ones.
 * Sticks to the bottom while the reader is there; loads older messages on scrolling to the top.
 * Text is rendered as text, never as HTML.
 */
export function MessageList(props: MessageListProps) {
  const { messages, pending, me, hasMore, loadingOlder, onLoadOlder, onRetry, onDiscard } = props;
  const scrollRef = useRef<HTMLDivElement>(null);
  const atBottomRef = useRef(true);
  const [showJump, setShowJump] = useState(false);
  const previous = useRef({ firstId: messages[0]?.id, height: 0, count: 0 });

  useLayoutEffect(() => {
    const element = scrollRef.current;
    if (!element) return;
    const count = messages.length + pending.length;
    if (messages[0]?.id !== previous.current.firstId && previous.current.count > 0 && !atBottomRef.current) {
      // Older messages were put on top: keep what the reader was looking at in place.
      element.scrollTop += element.scrollHeight - previous.current.height;
    } else if (atBottomRef.current) {
      element.scrollTop = element.scrollHeight;
    } else if (count > previous.current.count) {
      setShowJump(true);
    }
    previous.current = { firstId: messages[0]?.id, height: element.scrollHeight, count };
  }, [messages, pending]);

  const onScroll = (event: UIEvent<HTMLDivElement>) => {
    const element = event.currentTarget;
    atBottomRef.current = element.scrollHeight - element.scrollTop - element.clientHeight < STICK_THRESHOLD;
    if (atBottomRef.current) setShowJump(false);
    if (element.scrollTop < 80 && hasMore && !loadingOlder) onLoadOlder();
  };

  const jumpToBottom = () => {
    const element = scrollRef.current;
    if (element) element.scrollTop = element.scrollHeight;
    atBottomRef.current = true;
    setShowJump(false);
  };

  return (
    <div className="messages-wrap">
      <div
        className="messages-scroll"
        ref={scrollRef}
        onScroll={onScroll}
        tabIndex={0}
        aria-label="Message history"
      >
        {hasMore && (
          <div className="messages__older">
            <button type="button" className="link-button" onClick={onLoadOlder} disabled={loadingOlder}>
              {loadingOlder ? 'Loading older messages…' : 'Load older messages'}
            </button>
          </div>
        )}
        <ol
          className="messages"
          role="log"
          aria-live="polite"
          aria-relevant="additions"
          aria-label="Messages"
        >
          {messages.length === 0 && pending.length === 0 && (
            <li className="messages__empty">No messages yet. Say hi!</li>
          )}
          {messages.map((message, index) => (
            <Fragment key={message.id}>
              {(index === 0 || dayOf(messages[index - 1]!.time) !== dayOf(message.time)) && (
                <li className="day-separator" role="separator" aria-label={formatDay(message.time)}>
                  <span>{formatDay(message.time)}</span>
                </li>
              )}
              <li className={message.user.id === me?.id ? 'message message--mine' : 'message'}>
                <time dateTime={message.time}>[{formatClock(message.time)}]</time>{' '}
                <UserName user={message.user} />: <span className="message__text">{message.text}</span>
              </li>
            </Fragment>
          ))}
          {pending.map((p) => (
            <li key={p.clientId} className={`message message--mine message--${p.status}`}>
              <time dateTime={p.createdAt}>[{formatClock(p.createdAt)}]</time> {me && <UserName user={me} />}:{' '}
              <span className="message__text">{p.text}</span>{' '}
              {p.status === 'sending' ? (
                <span className="message__state">sending…</span>
              ) : (
                <span className="message__state message__state--failed" role="alert">
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
        </ol>
      </div>
      {showJump && (
        <button type="button" className="jump-button" onClick={jumpToBottom}>
          New messages ↓
        </button>
      )}
    </div>
  );
}
