import { useEffect, useRef, useState } from 'react';
import type { User } from '@chat/contracts';
import { useChat } from '../chat/useChat.js';
import { useDocumentTitle } from '../hooks/useDocumentTitle.js';
import { useRoomShortcuts } from '../hooks/useRoomShortcuts.js';
import { useUnseenWhileHidden } from '../hooks/useUnseenWhileHidden.js';
import { displayText } from '../lib/text/bidi.js';
import { useNotifications } from '../notifications/useNotifications.js';
import { AppHeader } from './AppHeader.js';
import { Composer } from './Composer.js';
import { MessageList } from './MessageList.js';
import { NotificationPrompt } from './NotificationPrompt.js';
import { PresenceList } from './PresenceList.js';
import { RoomList } from './RoomList.js';
import { TypingLine } from './TypingLine.js';

const DEFAULT_MAX_TEXT_LENGTH = 4000;

interface ChatViewProps {
  user: User;
  onSignOut: (reason?: string) => void;
}

/**
 * The signed-in app: rooms and people on the side (behind a toggle on phones), the active room's
 * conversation in the middle.
 */
export function ChatView({ user, onSignOut }: ChatViewProps) {
  const chat = useChat(user);
  const room = chat.rooms.get(chat.active);
  const me = chat.me ?? user;
  const { lastClose } = chat.connection;
  const [sideOpen, setSideOpen] = useState(false);
  const composerRef = useRef<HTMLTextAreaElement>(null);
  const toggleRef = useRef<HTMLButtonElement>(null);

  // The panel (phones) hides what has focus when it closes: give focus back to its toggle.
  const closeSide = () => {
    if (!sideOpen) return;
    setSideOpen(false);
    toggleRef.current?.focus();
  };
  const select = (name: string) => {
    chat.selectRoom(name);
    closeSide();
  };
  const notifications = useNotifications(chat.onArrival, me.id, chat.selectRoom);
  const unseen = useUnseenWhileHidden(chat.onArrival, chat.active, me.id);
  const unread = chat.joined.reduce((sum, name) => sum + (chat.rooms.get(name)?.unread ?? 0), 0);
  useDocumentTitle(unread + unseen > 0 ? `(${unread + unseen}) Chat` : 'Chat');
  useRoomShortcuts(chat.joined, chat.active, chat.selectRoom);

  // The server refused our identity (expired or tampered token): ask to sign in again.
  useEffect(() => {
    if (lastClose?.final && lastClose.code === 4401)
      onSignOut('Your session is no longer valid. Please sign in again.');
  }, [lastClose, onSignOut]);

  return (
    <div className={sideOpen ? 'app app--side-open' : 'app'}>
      <AppHeader
        me={me}
        connection={chat.connection}
        pending={chat.outbox.filter((p) => p.status === 'sending').length}
        sideOpen={sideOpen}
        unread={unread}
        toggleRef={toggleRef}
        onToggleSide={() => setSideOpen((open) => !open)}
        onSignOut={() => onSignOut()}
      />
      <aside
        id="side"
        className="app__side"
        aria-label="Rooms and people"
        onKeyDown={(event) => event.key === 'Escape' && closeSide()}
      >
        <RoomList
          joined={chat.joined}
          active={chat.active}
          rooms={chat.rooms}
          canCreate={!me.guest}
          onSelect={select}
          onOpen={(name) => {
            chat.openRoom(name);
            closeSide();
          }}
          onLeave={chat.leaveRoom}
        />
        <PresenceList users={room?.presence ?? []} me={me} known={chat.connection.status === 'open'} />
      </aside>
      <main className="app__main">
        <h2 className="app__room"># {chat.active}</h2>
        {notifications.offer && (
          <NotificationPrompt onEnable={notifications.enable} onDismiss={notifications.dismiss} />
        )}
        {chat.info && (
          <div className="info" role="status">
            <span className="info__text" dir="auto">
              {displayText(chat.info)}
            </span>
            <button type="button" className="link-button" onClick={chat.dismissInfo}>
              Dismiss
            </button>
          </div>
        )}
        {chat.notice && (
          <div className="notice" role="alert">
            <span dir="auto">{displayText(chat.notice)}</span>
            <button type="button" className="link-button" onClick={chat.dismissNotice}>
              Dismiss
            </button>
          </div>
        )}
        <MessageList
          key={chat.active}
          room={chat.active}
          messages={room?.messages ?? []}
          pending={chat.outbox.filter((p) => p.room === chat.active)}
          me={me}
          historyUntil={room?.historyUntil ?? null}
          hasMore={room?.hasMore ?? false}
          loadingOlder={room?.loadingOlder ?? false}
          onLoadOlder={() => chat.loadOlder(chat.active)}
          onRetry={chat.retry}
          onDiscard={chat.discard}
          onEscape={() => composerRef.current?.focus()}
        />
        <Composer
          room={chat.active}
          inputRef={composerRef}
          onSend={chat.send}
          onTyping={chat.notifyTyping}
          maxLength={chat.limits?.maxTextLength ?? DEFAULT_MAX_TEXT_LENGTH}
          status={<TypingLine typing={room?.typing ?? []} />}
        />
      </main>
    </div>
  );
}
