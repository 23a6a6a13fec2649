import { useEffect, useState } from 'react';
import type { RoomSummary } from '@chat/contracts';
import { searchRooms } from '../../api/conversations-api.js';
import { ApiError } from '../../api/http.js';
import { Dialog } from './Dialog.js';
import { FieldError } from './FieldError.js';

/** Typing pauses this long before the directory is asked again. */
const SEARCH_DELAY_MS = 200;

interface RoomDirectoryProps {
  /** Rooms you are in: shown as "Open" rather than "Join". */
  joined: readonly string[];
  onJoin: (room: string) => void;
  onClose: () => void;
  /** The directory search (the API's, unless a test gives its own). */
  search?: (q: string) => Promise<RoomSummary[]>;
}

/** The public rooms, searched by name prefix: browse, then join or open one. */
export function RoomDirectory({ joined, onJoin, onClose, search = searchRooms }: RoomDirectoryProps) {
  const [q, setQ] = useState('');
  const [rooms, setRooms] = useState<RoomSummary[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let current = true;
    const timer = setTimeout(() => {
      search(q.trim().toLowerCase())
        .then((found) => {
          if (!current) return;
          setRooms(found);
          setError(null);
        })
        .catch((failure: unknown) => {
          if (current)
            setError(failure instanceof ApiError ? failure.message : 'The directory cannot be read now.');
        });
    }, SEARCH_DELAY_MS);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [q, search]);

  const pick = (room: string) => {
    onJoin(room);
    onClose();
  };
  return (
    <Dialog title="Browse rooms" onClose={onClose}>
      <label htmlFor="directory-search">Search rooms by name</label>
      <input
        id="directory-search"
        type="search"
        value={q}
        autoFocus
        maxLength={32}
        placeholder="design"
        aria-describedby="directory-count"
        onChange={(event) => setQ(event.target.value)}
      />
      <FieldError id="directory-error" error={error} />
      <p id="directory-count" className="hint" role="status">
        {rooms === null ? 'Loading…' : rooms.length === 1 ? '1 room' : `${rooms.length} rooms`}
      </p>
      <ul className="directory" aria-label="Public rooms">
        {(rooms ?? []).map((room) => {
          const member = joined.includes(room.name);
          return (
            <li key={room.name} className="directory__room">
              <div className="directory__about">
                <span className="directory__name"># {room.name}</span>
                {room.topic && (
                  <span className="directory__topic" dir="auto">
                    {room.topic}
                  </span>
                )}
                <span className="hint">
                  {room.memberCount === 1 ? '1 member' : `${room.memberCount} members`}
                </span>
              </div>
              <button
                type="button"
                className={member ? 'button--quiet' : undefined}
                aria-label={`${member ? 'Open' : 'Join'} ${room.name}`}
                onClick={() => pick(room.name)}
              >
                {member ? 'Open' : 'Join'}
              </button>
            </li>
          );
        })}
      </ul>
    </Dialog>
  );
}
