import { useEffect, useMemo, useState, type KeyboardEvent } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import type { ChatMessage, User } from '@chat/contracts';
import type { PendingMessage } from '@chat/client';
import { useSeenReporting } from '../hooks/useSeenReporting.js';
import { useStickToBottom } from '../hooks/useStickToBottom.js';
import { formatDay } from '../lib/time/format.js';
import { messageRows, type Row } from './list/message-rows.js';
import { registerRevealer } from './list/reveal.js';
import { MessageSkeleton } from './list/Skeleton.js';
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
  /** The first page is not in yet: a skeleton, never the "empty" text. */
  loading?: boolean;
  /** Shown when there is nothing yet. */
  empty?: string;
}

/** Rows drawn beyond the visible ones, each way: arrow keys and quick scrolls find them ready. */
const OVERSCAN = 15;

/** A first guess of a row's height (px) until it is measured: close guesses scroll steadier. */
function estimate(row: Row | undefined): number {
  if (!row) return 32;
  if (row.kind === 'day' || row.kind === 'unread') return 36;
  return row.head ? 60 : 26;
}

/**
 * A conversation: day separators, messages grouped by author (see messageRows), then the user's
 * unacknowledged ones. Sticks to the bottom while the reader is there, offers a jump back when
 * they are not, and loads older messages on scrolling to the top. The list is one tab stop; Up
 * and Down move between messages, and a focused message takes its shortcuts (see StoredMessage).
 *
 * Two lists that read as one: history (what the room held when it was loaded or shown, and older
 * pages), virtualized so that ten thousand messages cost the DOM a few dozen rows, and after it a
 * live region that messages arriving from now on are added to. So screen readers announce each
 * new message once, and never read out the history on load or while it scrolls.
 */
export function MessageList(props: MessageListProps) {
  const { messages, pending, me, hasMore, loadingOlder, onLoadOlder, onRetry, onDiscard, scope } = props;
  // What was already there when this list came on screen is history too, even if it was news
  // while another room was shown: only what arrives while the reader is here is announced.
  const [newestOnArrival] = useState(() => messages.at(-1)?.seq ?? 0);
  const [currentId, setCurrentId] = useState<string | null>(null);
  const historyEnd = props.historyUntil === null ? Infinity : Math.max(props.historyUntil, newestOnArrival);
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
  const marker = props.marker ?? null;
  const firstUnread =
    marker === null ? undefined : messages.find((m) => m.seq > marker && m.user.id !== me.id)?.id;
  const rows = useMemo(
    () => messageRows({ messages, pending, me, firstUnread }),
    [messages, pending, me, firstUnread],
  );
  const split = liveStart(rows, historyEnd);
  const history = rows.slice(0, split);
  const live = rows.slice(split);

  // Without layout (jsdom) nothing can be measured: draw every row.
  const measurable = typeof ResizeObserver !== 'undefined';
  // eslint-disable-next-line react-hooks/incompatible-library -- no React Compiler here: the virtualizer is read afresh on every render, never memoized
  const virtualizer = useVirtualizer({
    count: history.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: (index) => estimate(history[index]),
    getItemKey: (index) => history[index]?.key ?? index,
    overscan: OVERSCAN,
    scrollMargin: scrollRef.current?.querySelector<HTMLElement>('.messages--history')?.offsetTop ?? 0,
  });
  const items = measurable
    ? virtualizer.getVirtualItems()
    : history.map((_, index) => ({ index, start: 0, end: 0 }));
  const margin = virtualizer.options.scrollMargin;
  const before = measurable ? Math.max(0, (items[0]?.start ?? margin) - margin) : 0;
  const after = measurable
    ? Math.max(0, virtualizer.getTotalSize() - ((items.at(-1)?.end ?? margin) - margin))
    : 0;

  useEffect(
    () =>
      registerRevealer(scope, (id) => {
        const index = history.findIndex((row) => row.kind === 'message' && row.message.id === id);
        if (index === -1) return false;
        virtualizer.scrollToIndex(index, { align: 'center' });
        return true;
      }),
    [scope, history, virtualizer],
  );

  const renderRow = (row: Row, index: number | undefined) => {
    const measureRef = index === undefined ? undefined : virtualizer.measureElement;
    switch (row.kind) {
      case 'day':
        return <DaySeparator key={row.key} time={row.time} index={index} measureRef={measureRef} />;
      case 'unread':
        return <NewMessagesLine key={row.key} index={index} measureRef={measureRef} />;
      case 'message':
        return (
          <StoredMessage
            key={row.key}
            message={row.message}
            scope={scope}
            head={row.head}
            current={row.message.id === currentId}
            onFocused={setCurrentId}
            index={index}
            measureRef={measureRef}
          />
        );
      case 'pending':
        return (
          <MessageItem
            key={row.key}
            user={me}
            time={row.pending.createdAt}
            text={pendingText(row.pending)}
            mine
            head={row.head}
            className={`message--${row.pending.status}`}
            index={index}
            measureRef={measureRef}
          >
            <PendingState pending={row.pending} onRetry={onRetry} onDiscard={onDiscard} />
          </MessageItem>
        );
    }
  };

  // Home and End mean the conversation's ends, also those the virtual list has not drawn: when
  // the end is drawn, focus moves at once (a key pressed right after lands on it); else the list
  // scrolls there first and focus follows once the rows are drawn.
  const focusEnd = (end: 'first' | 'last') => {
    const endMessage = (): HTMLElement | undefined => {
      const all = scrollRef.current?.querySelectorAll<HTMLElement>('[data-message-id]');
      return end === 'first' ? all?.[0] : all?.[all.length - 1];
    };
    const wanted = end === 'first' ? messages[0]?.id : (messages.at(-1)?.id ?? undefined);
    const drawnEnd = endMessage();
    if (drawnEnd && drawnEnd.dataset.messageId === wanted) {
      drawnEnd.focus();
      drawnEnd.scrollIntoView?.({ block: 'nearest' });
      return;
    }
    const scrollToEnd = () =>
      end === 'first' ? virtualizer.scrollToIndex(0, { align: 'start' }) : jumpToBottom();
    scrollToEnd();
    // The rows are drawn a frame or more after the scroll (more on a busy machine, as the virtual
    // list measures what it drew): keep scrolling until the end message is there, then focus it.
    const focusWhenDrawn = (framesLeft: number) =>
      requestAnimationFrame(() => {
        const drawn = endMessage();
        if (drawn?.dataset.messageId === wanted || framesLeft === 0) {
          drawn?.focus();
          drawn?.scrollIntoView?.({ block: 'nearest' });
          return;
        }
        scrollToEnd();
        focusWhenDrawn(framesLeft - 1);
      });
    focusWhenDrawn(60);
  };
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const target = event.target as HTMLElement;
    const onList = target === event.currentTarget || target.matches('[data-message-id]');
    if (event.key === 'Escape') props.onEscape();
    else if (onList && measurable && (event.key === 'Home' || event.key === 'End') && !event.ctrlKey) {
      event.preventDefault();
      focusEnd(event.key === 'Home' ? 'first' : 'last');
    } else if (moveFocus(event, scrollRef.current)) event.preventDefault();
  };
  const jump = () => {
    jumpToBottom();
    // The button goes away: keep keyboard focus in the conversation rather than losing it.
    scrollRef.current?.focus({ preventScroll: true });
  };
  const nothing = rows.length === 0;

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
        aria-busy={props.loading && nothing ? true : undefined}
      >
        <p id={`${scope}-keys`} className="visually-hidden">
          Up and Down arrows move between messages, Home and End to the first and last. On a message: R reply,
          E edit, T thread, plus sign react, Delete delete, Escape back to writing.
        </p>
        {hasMore && (
          <div className="messages__older">
            <button type="button" className="link-button" onClick={loadOlder} disabled={loadingOlder}>
              {loadingOlder ? 'Loading older messages…' : 'Load older messages'}
            </button>
          </div>
        )}
        {nothing && props.loading && <MessageSkeleton />}
        <ol
          className="messages messages--history"
          aria-label="Messages"
          style={measurable ? { paddingTop: before, paddingBottom: after } : undefined}
        >
          {nothing && !props.loading && (
            <li className="messages__empty">{props.empty ?? 'No messages yet. Say hi!'}</li>
          )}
          {items.map((item) => {
            const row = history[item.index];
            return row ? renderRow(row, measurable ? item.index : undefined) : null;
          })}
        </ol>
        <ol
          className="messages messages--live"
          aria-label="New messages"
          aria-live="polite"
          aria-relevant="additions"
        >
          {live.map((row) => renderRow(row, undefined))}
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

/** Where the live part starts: the first message past the history (with its separators), else pending. */
function liveStart(rows: readonly Row[], historyEnd: number): number {
  let split = rows.findIndex(
    (row) => row.kind === 'pending' || (row.kind === 'message' && row.message.seq > historyEnd),
  );
  if (split === -1) return rows.length;
  while (split > 0 && (rows[split - 1]?.kind === 'day' || rows[split - 1]?.kind === 'unread')) split--;
  return split;
}

interface RowProps {
  index: number | undefined;
  measureRef: ((element: HTMLLIElement | null) => void) | undefined;
}

function DaySeparator({ time, index, measureRef }: { time: string } & RowProps) {
  return (
    <li className="day-separator" data-index={index} ref={measureRef}>
      <span>{formatDay(time)}</span>
    </li>
  );
}

/** Where your read marker was when you opened the room. */
function NewMessagesLine({ index, measureRef }: RowProps) {
  return (
    <li className="unread-line" data-index={index} ref={measureRef}>
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
