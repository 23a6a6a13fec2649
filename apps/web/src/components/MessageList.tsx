import { Fragment, useState, type KeyboardEvent } from 'react';
import type { ChatMessage, User } from '@chat/contracts';
import type { PendingMessage } from '@chat/client';
import { useSeenReporting } from '../hooks/useSeenReporting.js';
import { useStickToBottom } from '../hooks/useStickToBottom.js';
import { formatDay } from '../lib/time/format.js';
import { dayStarts } from './day-starts.js';
import { MessageItem } from './MessageItem.js';
import { StoredMessage } from './messages/StoredMessage.js';
import { moveFocus } from './messages/roving-focus.js';
import { PendingState } from './PendingState.js';

interface MessageListProps {
  /** Names the list for assistive technology ("Messages in #design", "Replies"). */
  label: string;
  /** 'room' or 'thread': keeps element ids apart when both lists are on screen. */
  scope: string;
  messages: ChatMessage[];
  pending: PendingMessage[];
  me: User;
  /** Where the room's history ends (see RoomState.historyUntil): later messages are announced. */
  historyUntil: number | null;
  /** Your read marker when the room came on screen: a "New messages" line goes after it. */
  marker?: number | null;
  /** The newest seq of the log held: what being at the bottom has seen. */
  newestSeq?: number;
  /** The reader has seen the list up to this seq (tab visible). */
  onSeen?: (seq: number) => void;
  hasMore: boolean;
  loadingOlder: boolean;
  onLoadOlder: () => void;
  onRetry: (clientId: string) => void;
  onDiscard: (clientId: string) => void;
  /** Escape pressed in the list: back to writing. */
  onEscape: () => void;
  /** Shown when there is nothing yet. */
  empty?: string;
}

/**
 * A conversation: day separators, `[time] name: text` lines, then the user's unacknowledged
 * ones. Sticks to the bottom while the reader is there, offers a jump back when they are not,
 * and loads older messages on scrolling to the top. The list is one tab stop; Up and Down move
 * between messages, and a focused message takes its shortcuts (see StoredMessage).
 *
 * Two lists that read as one: history (what the room held when it was loaded or shown, and
 * older pages) and, after it, a live region that messages arriving from now on are added to.
 * So screen readers announce each new message once and never read out the history on load.
 */
export function MessageList(props: MessageListProps) {
  const { messages, pending, me, hasMore, loadingOlder, onLoadOlder, onRetry, onDiscard, scope } = props;
  // What was already there when this list came on screen is history too, even if it was news
  // while another room was shown: only what arrives while the reader is here is announced.
  const [newestOnArrival] = useState(() => messages.at(-1)?.seq ?? 0);
  const [currentId, setCurrentId] = useState<string | null>(null);
  const historyEnd = props.historyUntil === null ? Infinity : Math.max(props.historyUntil, newestOnArrival);
  const split = messages.findIndex((m) => m.seq > historyEnd);
  const liveFrom = split === -1 ? messages.length : split;
  const loadOlder = () => {
    if (hasMore && !loadingOlder) onLoadOlder();
  };
  const { scrollRef, onScroll, unseen, atBottom, jumpToBottom } = useStickToBottom({
    firstKey: messages[0]?.id,
    count: messages.length,
    ownCount: pending.length,
    onNearTop: loadOlder,
  });
  const [scrolls, setScrolls] = useState(0);
  useSeenReporting({
    scrollRef,
    atBottom,
    newest: props.newestSeq ?? messages.at(-1)?.seq ?? 0,
    version: `${messages.length}:${scrolls}`,
    onSeen: props.onSeen,
  });
  const times = [...messages.map((m) => m.time), ...pending.map((p) => p.createdAt)];
  const starts = dayStarts(times);
  const marker = props.marker ?? null;
  const firstUnread =
    marker === null ? undefined : messages.find((m) => m.seq > marker && m.user.id !== me.id)?.id;

  const renderMessage = (message: ChatMessage, index: number) => (
    <Fragment key={message.id}>
      {starts[index] && <DaySeparator time={message.time} />}
      {message.id === firstUnread && <NewMessagesLine />}
      <StoredMessage
        message={message}
        scope={scope}
        current={message.id === currentId}
        onFocused={setCurrentId}
      />
    </Fragment>
  );

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    if (event.key === 'Escape') props.onEscape();
    else if (moveFocus(event, scrollRef.current)) event.preventDefault();
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
        id={scope === 'room' ? 'messages' : `${scope}-messages`}
        onScroll={(event) => {
          onScroll(event);
          setScrolls((n) => n + 1);
        }}
        onKeyDown={onKeyDown}
        tabIndex={0}
        role="region"
        aria-label={props.label}
        aria-describedby={`${scope}-keys`}
      >
        <p id={`${scope}-keys`} className="visually-hidden">
          Up and Down arrows move between messages. On a message: R reply, E edit, T thread, plus sign react,
          Delete delete, Escape back to writing.
        </p>
        {hasMore && (
          <div className="messages__older">
            <button type="button" className="link-button" onClick={loadOlder} disabled={loadingOlder}>
              {loadingOlder ? 'Loading older messages…' : 'Load older messages'}
            </button>
          </div>
        )}
        <ol className="messages" aria-label="Messages">
          {times.length === 0 && (
            <li className="messages__empty">{props.empty ?? 'No messages yet. Say hi!'}</li>
          )}
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
              <MessageItem
                user={me}
                time={p.createdAt}
                text={pendingText(p)}
                mine
                className={`message--${p.status}`}
              >
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

/** Where your read marker was when you opened the room. */
function NewMessagesLine() {
  return (
    <li className="unread-line">
      <span>New messages</span>
    </li>
  );
}

/** A pending message's text, and how many files go with it (their previews come with the stored message). */
function pendingText(pending: PendingMessage): string {
  const count = pending.attachments?.length ?? 0;
  if (count === 0) return pending.text;
  const files = count === 1 ? '📎 1 file' : `📎 ${count} files`;
  return pending.text === '' ? files : `${pending.text} (${files})`;
}
