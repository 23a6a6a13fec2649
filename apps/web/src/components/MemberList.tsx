import { useEffect } from 'react';
import type { RoomMember, RoomRole, User } from '@chat/contracts';
import { displayText } from '../lib/text/bidi.js';
import { UserName } from './UserName.js';

interface MemberListProps {
  room: string;
  members: RoomMember[] | null;
  me: User;
  /** Loads the list (it is then kept current by `member` events). */
  onLoad: (room: string) => void;
  /** Writes to a member directly; absent for a guest (guests open no DMs). */
  onMessage?: (user: User) => void;
}

const ROLE_ORDER: Record<RoomRole, number> = { owner: 0, moderator: 1, member: 2 };

/** Who belongs to the room, owners and moderators first, each a way to start a DM. */
export function MemberList({ room, members, me, onLoad, onMessage }: MemberListProps) {
  useEffect(() => {
    onLoad(room);
  }, [room, onLoad]);
  const sorted = [...(members ?? [])].sort(
    (a, b) => ROLE_ORDER[a.role] - ROLE_ORDER[b.role] || a.user.name.localeCompare(b.user.name),
  );
  return (
    <section className="members" aria-labelledby="members-heading">
      <h2 id="members-heading">{members ? `Members (${members.length})` : 'Members'}</h2>
      <ul>
        {sorted.map(({ user, role, muted }) => (
          <li key={user.id}>
            {!onMessage || user.id === me.id || user.guest || user.bot ? (
              <span className="members__name">
                <UserName user={user} />
              </span>
            ) : (
              <button
                type="button"
                className="members__name members__dm"
                title={`Message ${displayText(user.name)} directly`}
                aria-label={`${displayText(user.name)}, send a direct message`}
                onClick={() => onMessage(user)}
              >
                <UserName user={user} />
              </button>
            )}
            {user.id === me.id && <span className="hint members__you">(you)</span>}
            {role !== 'member' && <span className={`role role--${role}`}>{role}</span>}
            {muted && <span className="role">muted</span>}
          </li>
        ))}
      </ul>
    </section>
  );
}
