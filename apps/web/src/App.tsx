import { useState } from 'react';
import { DEFAULT_DISPLAY_NAME } from '@chat/contracts';
import { useChat } from './chat/useChat.js';
import { Composer } from './components/Composer.js';
import { ConnectionStatus } from './components/ConnectionStatus.js';
import { MessageList } from './components/MessageList.js';
import { NameField } from './components/NameField.js';

const NAME_KEY = 'chat.name';
const DEFAULT_MAX_TEXT_LENGTH = 4000;

export function App() {
  const [name, setName] = useState(() => localStorage.getItem(NAME_KEY) ?? DEFAULT_DISPLAY_NAME);
  const chat = useChat(name);

  const changeName = (next: string) => {
    localStorage.setItem(NAME_KEY, next);
    setName(next);
  };

  return (
    <div className="app">
      <header className="app__header">
        <h1>Chat</h1>
        <span className="app__room"># {chat.room}</span>
        <ConnectionStatus connection={chat.connection} />
      </header>
      <NameField name={name} onChange={changeName} />
      {chat.notice && (
        <div className="notice" role="alert">
          {chat.notice}{' '}
          <button type="button" className="link-button" onClick={chat.dismissNotice}>
            Dismiss
          </button>
        </div>
      )}
      <main className="app__main">
        <MessageList
          messages={chat.rooms[chat.room]?.messages ?? []}
          pending={chat.outbox.filter((p) => p.room === chat.room)}
          myName={chat.me?.name ?? name}
          onRetry={chat.retry}
          onDiscard={chat.discard}
        />
      </main>
      <Composer onSend={chat.send} maxLength={chat.limits?.maxTextLength ?? DEFAULT_MAX_TEXT_LENGTH} />
    </div>
  );
}
