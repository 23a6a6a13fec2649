import {
  Fragment,
  useEffect,
  useLayoutEffect,
  useRef,
  useState,
  type KeyboardEvent,
  type ReactNode,
} from 'react';
import type { RoomInfo, User } from '@chat/contracts';
import type { UseChatResult } from '../../chat/useChat.js';
import { formatDay } from '../../lib/time/format.js';
import { dayStarts } from '../day-starts.js';
import { ConversationContext, messageElementId } from '../messages/ConversationContext.js';
import { moveFocus } from '../messages/roving-focus.js';
import { StoredMessage } from '../messages/StoredMessage.js';
import { useConversationScope } from '../messages/useConversationScope.js';
import { roomTitle } from '../rooms/RoomLabel.js';
import { useJumpWindow } from './useJumpWindow.js';
import { withLive } from './with-live.js';

/** How long the message jumped to stays highlighted. */
const HIGHLIGHT_MS = 2500;
/** Pixels from an end of the list at which the next page is asked for. */
const NEAR_EDGE_PX = 120;

interface JumpViewProps {
  chat: UseChatResult;
  me: User;
  name: string;
  info: RoomInfo | null;
  /** The seq to open at, and the message to show (a thread reply's root, for a reply). */
  around: number;
  messageId: string;
  /** Back to the live room, at its newest messages. */
  onLeave: () => void;
  header: ReactNode;
}

/**
 * The room opened at a message found by search: the messages around it, the message scrolled
 * into view and highlighted for a moment, older and newer ones loaded on scrolling up and down.
 * Writing happens in the live room: "Back to latest" returns there.
 */
export function JumpView({ chat, me, name, info, around, messageId, onLeave, header }: JumpViewProps) {
  const view = useJumpWindow(name, around);
  const messages = withLive(
    view.messages,
    chat.rooms.get(name)?.messages ?? [],
    view.loaded && !view.hasNewer,
  ).filter((m) => !m.threadId);
  const composerRef = useRef<HTMLTextAreaElement>(null);
  const scope = useConversationScope({
    me,
    room: name,
    info,
    scope: 'room',
    messages,
    actions: chat,
    composerRef,
  });
  const scrollRef = useRef<HTMLDivElement>(null);
  const [currentId, setCurrentId] = useState<string | null>(null);

  // Once the first page is on screen: the message into view, focused, highlighted for a moment.
  useEffect(() => {
    if (!view.loaded) return;
    const element = document.getElementById(messageElementId('room', messageId));
    if (!element) return;
    element.scrollIntoView?.({ block: 'center' });
    element.focus({ preventScroll: true });
    // A class on the element itself (StoredMessage knows nothing of jumps); React leaves it
    // alone until the message's own classes change, which moving the focus on does: fine too.
    element.classList.add('jump-target');
    const timer = setTimeout(() => element.classList.remove('jump-target'), HIGHLIGHT_MS);
    return () => clearTimeout(timer);
  }, [view.loaded, messageId]);

  // Older messages added above: keep what the reader looks at where it is.
  const firstId = messages[0]?.id;
  const heightBefore = useRef<number | null>(null);
  useLayoutEffect(() => {
    const element = scrollRef.current;
    if (element && heightBefore.current !== null)
      element.scrollTop += element.scrollHeight - heightBefore.current;
    heightBefore.current = null;
  }, [firstId]);

  const onScroll = () => {
    const element = scrollRef.current;
    if (!element || !view.loaded) return;
    if (element.scrollTop < NEAR_EDGE_PX && view.hasOlder && !view.loading) {
      heightBefore.current = element.scrollHeight;
      view.loadOlder();
    }
    if (element.scrollHeight - element.scrollTop - element.clientHeight < NEAR_EDGE_PX && view.hasNewer) {
      view.loadNewer();
    }
  };
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    if (moveFocus(event, scrollRef.current)) event.preventDefault();
  };
  const starts = dayStarts(messages.map((m) => m.time));

  return (
    <ConversationContext.Provider value={scope.conversation}>
      {header}
      <div className="jump-bar" role="status">
        <span>Viewing messages from search in {roomTitle(name, info)}</span>
        <button type="button" onClick={onLeave}>
          Back to latest
        </button>
      </div>
      {view.error && (
        <p className="field-error" role="alert">
          {view.error}
        </p>
      )}
      <div className="messages-wrap">
        <div
          className="messages-scroll"
          ref={scrollRef}
          id="messages"
          onScroll={onScroll}
          onKeyDown={onKeyDown}
          tabIndex={0}
          role="region"
          aria-label={`Messages in ${roomTitle(name, info)}, from search`}
          aria-busy={view.loading !== null || !view.loaded}
        >
          {view.loading === 'older' && <p className="hint">Loading older messages…</p>}
          <ol className="messages" aria-label="Messages">
            {view.loaded && messages.length === 0 && (
              <li className="messages__empty">This message is no longer here.</li>
            )}
            {messages.map((message, index) => (
              <Fragment key={message.id}>
                {starts[index] && (
                  <li className="day-separator">
                    <span>{formatDay(message.time)}</span>
                  </li>
                )}
                <StoredMessage
                  message={message}
                  scope="room"
                  current={message.id === currentId}
                  onFocused={setCurrentId}
                />
              </Fragment>
            ))}
          </ol>
          {view.loading === 'newer' && <p className="hint">Loading newer messages…</p>}
        </div>
      </div>
    </ConversationContext.Provider>
  );
}
