import type { User } from '@chat/contracts';

/**
 * A user's name, with a visible guest mark: a guest can never pass for an account of the same
 * name. Screen readers hear "Alice (guest)"; long names are cut short on screen, never in speech.
 */
export function UserName({ user }: { user: User }) {
  return (
    <span className="user-name">
      <span className="user-name__name" title={user.name}>
        {user.name}
      </span>
      {user.guest && (
        <span className="guest-mark" title="Guest: not a registered account">
          <span className="visually-hidden"> (</span>guest<span className="visually-hidden">)</span>
        </span>
      )}
    </span>
  );
}
