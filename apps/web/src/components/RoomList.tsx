import { useState, type FormEvent } from 'react';
import { RoomNameSchema } from '@chat/contracts';
import type { RoomState } from '../chat/chat-state.js';

interface RoomListProps {
  joined: string[];
  active: string;
  rooms: ReadonlyMap<string, RoomState>;
  canCreate: boolean;
  onSelect: (room: string) => void;
  onOpen: (room: string) => void;
  onLeave: (room: string) => void;
}

/** The user's rooms with unread counts, and a field to join (or, for accounts, create) one. */
export function RoomList({ joined, active, rooms, canCreate, onSelect, onOpen, onLeave }: RoomListProps) {
  const [name, setName] = useState('');
  const [error, setError] = useState<string | null>(null);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const parsed = RoomNameSchema.safeParse(name.trim().toLowerCase());
    if (!parsed.success) {
      setError(parsed.error.issues[0]?.message ?? 'invalid room name');
      return;
    }
    setError(null);
    setName('');
    onOpen(parsed.data);
  };

  return (
    <nav className="rooms" aria-label="Rooms">
      <h2>Rooms</h2>
      <ul>
        {joined.map((room) => {
          const unread = rooms.get(room)?.unread ?? 0;
          return (
            <li key={room} className={room === active ? 'room room--active' : 'room'}>
              <button
                type="button"
                className="room__button"
                aria-current={room === active ? 'page' : undefined}
                onClick={() => onSelect(room)}
              >
                <span className="room__name"># {room}</span>
                {unread > 0 && (
                  <span className="badge">
                    {unread}
                    <span className="visually-hidden"> unread</span>
                  </span>
                )}
              </button>
              {room !== 'general' && (
                <button
                  type="button"
                  className="room__leave"
                  aria-label={`Leave ${room}`}
                  title={`Leave ${room}`}
                  onClick={() => onLeave(room)}
                >
                  ×
                </button>
              )}
            </li>
          );
        })}
      </ul>
      <form onSubmit={submit} className="rooms__join">
        <label htmlFor="join-room">{canCreate ? 'Join or create a room' : 'Join a room'}</label>
        <div className="rooms__join-row">
          <input
            id="join-room"
            value={name}
            placeholder="room-name"
            maxLength={32}
            aria-invalid={error !== null}
            aria-describedby={error ? 'join-room-error' : undefined}
            onChange={(e) => setName(e.target.value)}
          />
          <button type="submit">{canCreate ? 'Go' : 'Join'}</button>
        </div>
        {error && (
          <span id="join-room-error" className="field-error" role="alert">
            {error}
          </span>
        )}
      </form>
      <p className="rooms__shortcut hint">
        <kbd>Alt</kbd>+<kbd>↑</kbd>/<kbd>↓</kbd> switches rooms
      </p>
    </nav>
  );
}
