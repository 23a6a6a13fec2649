import type { User } from '@chat/contracts';
import { useChat } from '../chat/useChat.js';
import { Composer } from './Composer.js';
import { ConnectionStatus } from './ConnectionStatus.js';
import { MessageList } from './MessageList.js';
import { PresenceList } from './PresenceList.js';
import { RoomList } from './RoomList.js';
import { TypingLine } from './TypingLine.js';
import { UserName } from './UserName.js';
import { useEffect } from 'react';

const DEFAULT_MAX_TEXT_LENGTH = 4000;

interface ChatViewProps {
  user: User;
  onSignOut: (reason?: string) => void;
}

/** The signed-in app: rooms on the side, the active room's conversation in the middle. */
export function ChatView({ user, onSignOut }: ChatViewProps) {
  const chat = useChat(user);
  const room = chat.rooms[chat.active];
  const me = chat.me ?? user;
  const { lastClose } = chat.connection;

  // The server refused our identity (expired or tampered token): ask to sign in again.
  useEffect(() => {
    if (lastClose?.final && lastClose.code === 4401)
      onSignOut('Your session is no longer valid. Please sign in again.');
  }, [lastClose, onSignOut]);

  return (
    <div className="app">
      <header className="app__header">
        <h1>Chat</h1>
        <ConnectionStatus connection={chat.connection} pending={chat.outbox.length} />
        <div className="app__me">
          <UserName user={me} />
          <button type="button" className="link-button" onClick={() => onSignOut()}>
            Sign out
          </button>
        </div>
      </header>
      <aside className="app__side">
        <RoomList
          joined={chat.joined}
          active={chat.active}
          rooms={chat.rooms}
          canCreate={!me.guest}
          onSelect={chat.selectRoom}
          onOpen={chat.openRoom}
          onLeave={chat.leaveRoom}
        />
        <PresenceList users={room?.presence ?? []} me={me} />
      </aside>
      <main className="app__main">
        <h2 className="app__room"># {chat.active}</h2>
        {chat.notice && (
          <div className="notice" role="alert">
            {chat.notice}{' '}
            <button type="button" className="link-button" onClick={chat.dismissNotice}>
              Dismiss
            </button>
          </div>
        )}
        <MessageList
          key={chat.active}
          messages={room?.messages ?? []}
          pending={chat.outbox.filter((p) => p.room === chat.active)}
          me={me}
          hasMore={room?.hasMore ?? false}
          loadingOlder={room?.loadingOlder ?? false}
          onLoadOlder={() => chat.loadOlder(chat.active)}
          onRetry={chat.retry}
          onDiscard={chat.discard}
        />
        <TypingLine typing={room?.typing ?? []} />
        <Composer
          room={chat.active}
          onSend={chat.send}
          onTyping={chat.notifyTyping}
          maxLength={chat.limits?.maxTextLength ?? DEFAULT_MAX_TEXT_LENGTH}
        />
      </main>
    </div>
  );
}
