import type { User } from '@chat/contracts';
import { UserName } from './UserName.js';

/** Who is in the room right now. */
export function PresenceList({ users, me }: { users: User[]; me: User | null }) {
  const sorted = [...users].sort((a, b) => a.name.localeCompare(b.name));
  return (
    <section className="presence" aria-label="Online in this room">
      <h2>Online ({users.length})</h2>
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
