import type { User } from '@chat/contracts';

/** A user's name, with a visible guest mark: a guest can never pass for an account of the same name. */
export function UserName({ user }: { user: User }) {
  return (
    <span className="user-name">
      <span className="user-name__name">{user.name}</span>
      {user.guest && (
        <span className="guest-mark" title="Guest: not a registered account">
          guest
        </span>
      )}
    </span>
  );
}
