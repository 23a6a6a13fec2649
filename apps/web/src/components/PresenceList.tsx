import { useEffect, useState } from 'react';
import type { User } from '@chat/contracts';
import type { OnlinePage } from '@chat/client';
import { UserName } from './UserName.js';

interface PresenceListProps {
  users: User[];
  me: User | null;
  /** False while disconnected: who is online is then unknown, not "nobody". */
  known: boolean;
  /** A big room's count (the list is then paged on demand); null in a small room. */
  online?: number | null;
  /** The paged list, while open. */
  page?: OnlinePage | null;
  /** Opens the list (or searches it), or, with `more`, loads its next page. */
  onList?: (q: string, more: boolean) => void;
  onClose?: () => void;
}

/** A search is sent once typing pauses this long. */
const SEARCH_DELAY_MS = 250;

/** Who is in the room right now: the whole list in a small room, a count and a paged list in a big one. */
export function PresenceList({
  users,
  me,
  known,
  online = null,
  page = null,
  onList,
  onClose,
}: PresenceListProps) {
  if (online !== null && onList && onClose)
    return (
      <BigRoomPresence online={online} me={me} known={known} page={page} onList={onList} onClose={onClose} />
    );
  const sorted = [...users].sort((a, b) => a.name.localeCompare(b.name));
  return (
    <section className="presence" aria-label="Online in this room">
      <h2>{known ? `Online (${users.length})` : 'Online'}</h2>
      {!known && <p className="hint presence__unknown">Not known while disconnected</p>}
      <ul>
        {sorted.map((user) => (
          <OnlineUser key={user.id} user={user} me={me} />
        ))}
      </ul>
    </section>
  );
}

function OnlineUser({ user, me }: { user: User; me: User | null }) {
  return (
    <li>
      <span className="presence__dot" aria-hidden="true" />
      <UserName user={user} />
      {user.id === me?.id && <span className="hint"> (you)</span>}
    </li>
  );
}

interface BigRoomPresenceProps {
  online: number;
  me: User | null;
  known: boolean;
  page: OnlinePage | null;
  onList: (q: string, more: boolean) => void;
  onClose: () => void;
}

/** "1,234 online", and on demand the list a page at a time, searchable by name. */
function BigRoomPresence({ online, me, known, page, onList, onClose }: BigRoomPresenceProps) {
  const [q, setQ] = useState('');
  const open = page !== null;
  useEffect(() => {
    if (!open || q.trim() === page.q) return;
    const timer = setTimeout(() => onList(q, false), SEARCH_DELAY_MS);
    return () => clearTimeout(timer);
  }, [open, q, page?.q, onList]);
  return (
    <section className="presence" aria-label="Online in this room">
      <h2>{known ? `${online.toLocaleString('en-US')} online` : 'Online'}</h2>
      {!known && <p className="hint presence__unknown">Not known while disconnected</p>}
      {known && !open && (
        <button type="button" className="presence__open" onClick={() => onList('', false)}>
          Show who is online
        </button>
      )}
      {known && open && (
        <>
          <input
            type="search"
            className="presence__search"
            aria-label="Search people online"
            placeholder="Search by name"
            value={q}
            onChange={(event) => setQ(event.target.value)}
          />
          <ul aria-busy={page.loading}>
            {page.users.map((user) => (
              <OnlineUser key={user.id} user={user} me={me} />
            ))}
          </ul>
          {!page.loading && page.users.length === 0 && <p className="hint">Nobody by that name</p>}
          {page.next !== undefined && (
            <button type="button" disabled={page.loading} onClick={() => onList(page.q, true)}>
              Show more
            </button>
          )}
          <button
            type="button"
            onClick={() => {
              setQ('');
              onClose();
            }}
          >
            Hide the list
          </button>
        </>
      )}
    </section>
  );
}
