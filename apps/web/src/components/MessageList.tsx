import { Fragment, useState, type KeyboardEvent } from 'react';
import type { ChatMessage, User } from '@chat/contracts';
import type { PendingMessage } from '../chat/chat-state.js';
import { useStickToBottom } from '../hooks/useStickToBottom.js';
import { formatDay } from '../lib/time/format.js';
import { dayStarts } from './day-starts.js';
import { MessageItem } from './MessageItem.js';
import { PendingState } from './PendingState.js';

interface MessageListProps {
  room: string;
  messages: ChatMessage[];
  pending: PendingMessage[];
  me: User;
  /** Where the room's history ends (see RoomState.historyUntil): later messages are announced. */
  historyUntil: number | null;
  hasMore: boolean;
  loadingOlder: boolean;
  onLoadOlder: () => void;
  onRetry: (clientId: string) => void;
  onDiscard: (clientId: string) => void;
  /** Escape pressed in the list: back to writing. */
  onEscape: () => void;
}

/**
 * The conversation: day separators, `[time] name: text` lines, then the user's unacknowledged
 * ones. Sticks to the bottom while the reader is there, offers a jump back when they are not,
 * and loads older messages on scrolling to the top.
 *
 * Two lists that read as one: history (what the room held when it was loaded or shown, and
 * older pages) and, after it, a live region that messages arriving from now on are added to.
 * So screen readers announce each new message once and never read out the history on load.
 * The user's own messages are in the live list but not announced (aria-live="off").
 */
export function MessageList(props: MessageListProps) {
  const { room, messages, pending, me, hasMore, loadingOlder, onLoadOlder, onRetry, onDiscard } = props;
  // What was already there when this room came on screen is history too, even if it was news
  // while another room was shown: only what arrives while the reader is here is announced.
  const [newestOnArrival] = useState(() => messages.at(-1)?.seq ?? 0);
  const historyEnd = props.historyUntil === null ? Infinity : Math.max(props.historyUntil, newestOnArrival);
  const split = messages.findIndex((m) => m.seq > historyEnd);
  const liveFrom = split === -1 ? messages.length : split;
  const loadOlder = () => {
    if (hasMore && !loadingOlder) onLoadOlder();
  };
  const { scrollRef, onScroll, unseen, jumpToBottom } = useStickToBottom({
    firstKey: messages[0]?.id,
    count: messages.length,
    ownCount: pending.length,
    onNearTop: loadOlder,
  });
  const times = [...messages.map((m) => m.time), ...pending.map((p) => p.createdAt)];
  const starts = dayStarts(times);

  const renderMessage = (message: ChatMessage, index: number) => (
    <Fragment key={message.id}>
      {starts[index] && <DaySeparator time={message.time} />}
      <MessageItem
        user={message.user}
        time={message.time}
        text={message.text}
        mine={message.user.id === me.id}
      />
    </Fragment>
  );

  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === 'Escape') props.onEscape();
  };
  const jump = () => {
    jumpToBottom();
    // The button goes away: keep keyboard focus in the conversation rather than losing it.
    scrollRef.current?.focus({ preventScroll: true });
  };

  return (
    <div className="messages-wrap">
      <div
        className="messages-scroll"
        ref={scrollRef}
        onScroll={onScroll}
        onKeyDown={onKeyDown}
        id="messages"
        tabIndex={0}
        role="region"
        aria-label={`Messages in #${room}`}
      >
        {hasMore && (
          <div className="messages__older">
            <button type="button" className="link-button" onClick={loadOlder} disabled={loadingOlder}>
              {loadingOlder ? 'Loading older messages…' : 'Load older messages'}
            </button>
          </div>
        )}
        <ol className="messages" aria-label="Messages">
          {times.length === 0 && <li className="messages__empty">No messages yet. Say hi!</li>}
          {messages.slice(0, liveFrom).map((message, index) => renderMessage(message, index))}
        </ol>
        <ol
          className="messages messages--live"
          aria-label="New messages"
          aria-live="polite"
          aria-relevant="additions"
        >
          {messages.slice(liveFrom).map((message, index) => renderMessage(message, liveFrom + index))}
          {pending.map((p, index) => (
            <Fragment key={p.clientId}>
              {starts[messages.length + index] && <DaySeparator time={p.createdAt} />}
              <MessageItem user={me} time={p.createdAt} text={p.text} mine className={`message--${p.status}`}>
                <PendingState pending={p} onRetry={onRetry} onDiscard={onDiscard} />
              </MessageItem>
            </Fragment>
          ))}
        </ol>
      </div>
      {unseen > 0 && (
        <button type="button" className="jump-button" onClick={jump}>
          {unseen === 1 ? '1 new message' : `${unseen} new messages`} <span aria-hidden="true">↓</span>
        </button>
      )}
    </div>
  );
}

function DaySeparator({ time }: { time: string }) {
  return (
    <li className="day-separator">
      <span>{formatDay(time)}</span>
    </li>
  );
}
