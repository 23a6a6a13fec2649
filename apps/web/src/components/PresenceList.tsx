import type { User } from '@chat/contracts';
import { UserName } from './UserName.js';

interface PresenceListProps {
  users: User[];
  me: User | null;
  /** False while disconnected: who is online is then unknown, not "nobody". */
  known: boolean;
}

/** Who is in the room right now. */
export function PresenceList({ users, me, known }: PresenceListProps) {
  const sorted = [...users].sort((a, b) => a.name.localeCompare(b.name));
  return (
    <section className="presence" aria-label="Online in this room">
      <h2>{known ? `Online (${users.length})` : 'Online'}</h2>
      {!known && <p className="hint presence__unknown">Not known while disconnected</p>}
      <ul>
        {sorted.map((user) => (
          <li key={user.id}>
            <span className="presence__dot" aria-hidden="true" />
            <UserName user={user} />
            {user.id === me?.id && <span className="hint"> (you)</span>}
          </li>
        ))}
      </ul>
    </section>
  );
}
