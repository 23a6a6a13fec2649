import type { User } from '@chat/contracts';
import { avatarColour, initials } from './avatar-colour.js';
import { displayText } from '../../lib/text/bidi.js';

/**
 * Initials on the person's own colour; a bot or a guest wears a small badge. Decoration only
 * (hidden from screen readers): the name beside it says who it is, and "(bot)"/"(guest)".
 */
export function Avatar({ user }: { user: User }) {
  const badge = user.bot ? 'bot' : user.guest ? 'guest' : null;
  return (
    <span className="avatar" style={{ background: avatarColour(user.id) }} aria-hidden="true">
      {initials(displayText(user.name))}
      {badge && (
        <span className={`avatar__badge avatar__badge--${badge}`}>{badge === 'bot' ? 'B' : 'G'}</span>
      )}
    </span>
  );
}
