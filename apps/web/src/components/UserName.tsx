import type { User } from '@chat/contracts';
import { displayText } from '../lib/text/bidi.js';

/**
 * A user's name, with a visible guest mark: a guest can never pass for an account of the same
 * name. Screen readers hear "Alice (guest)"; long names are cut short on screen, never in speech.
 * A bot gets a "bot" mark the same way ("timebot (bot)"): its words come from a program.
 * The name is isolated (`<bdi>`) and stripped of bidi controls: it can neither reorder itself
 * ("evil\u202Egnp.exe") nor the line around it.
 */
export function UserName({ user }: { user: User }) {
  const name = displayText(user.name);
  return (
    <span className="user-name">
      <bdi className="user-name__name" title={name}>
        {name}
      </bdi>
      {user.guest && (
        <span className="guest-mark" title="Guest: not a registered account">
          <span className="visually-hidden"> (</span>guest<span className="visually-hidden">)</span>
        </span>
      )}
      {user.bot && (
        <span className="bot-mark" title="Bot: posted by a program, not a person">
          <span className="visually-hidden"> (</span>bot<span className="visually-hidden">)</span>
        </span>
      )}
    </span>
  );
}
