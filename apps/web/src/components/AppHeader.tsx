import type { Ref } from 'react';
import type { User } from '@chat/contracts';
import type { UseWebSocketResult } from '@chat/client/react';
import { ConnectionStatus } from './ConnectionStatus.js';
import { UserName } from './UserName.js';

interface AppHeaderProps {
  me: User;
  connection: UseWebSocketResult;
  /** Messages waiting for the server. */
  pending: number;
  sideOpen: boolean;
  /** Unread messages in other rooms, shown on the rooms toggle (phones). */
  unread: number;
  toggleRef: Ref<HTMLButtonElement>;
  onToggleSide: () => void;
  onSignOut: () => void;
  /** Opens the message search (also Ctrl/Cmd+K). */
  onSearch?: () => void;
}

/** App name, the connection's state, who is signed in; on phones also the rooms toggle. */
export function AppHeader({
  me,
  connection,
  pending,
  sideOpen,
  unread,
  toggleRef,
  onToggleSide,
  onSignOut,
  onSearch,
}: AppHeaderProps) {
  return (
    <header className="app__header">
      <button
        type="button"
        ref={toggleRef}
        className="side-toggle"
        aria-expanded={sideOpen}
        aria-controls="side"
        onClick={onToggleSide}
      >
        Rooms
        {unread > 0 && (
          <span className="badge">
            {unread}
            <span className="visually-hidden"> unread</span>
          </span>
        )}
      </button>
      <h1 className="brand">Chat</h1>
      <ConnectionStatus connection={connection} pending={pending} />
      {onSearch && (
        <button
          type="button"
          className="button--quiet"
          aria-keyshortcuts="Control+K Meta+K"
          onClick={onSearch}
        >
          Search
        </button>
      )}
      <div className="app__me">
        <span className="visually-hidden">Signed in as </span>
        <UserName user={me} />
        <button type="button" className="button--quiet app__sign-out" onClick={onSignOut}>
          Sign out
        </button>
      </div>
    </header>
  );
}
