import type { ReactNode } from 'react';
import type { User } from '@chat/contracts';
import { formatClock, formatFullTime } from '../lib/time/format.js';
import { MessageText } from './MessageText.js';
import { UserName } from './UserName.js';

interface MessageItemProps {
  user: User;
  time: string;
  text: string;
  mine: boolean;
  /** Same author just before: no repeated name and time on screen (screen readers still get them). */
  continued: boolean;
  /** Extra classes (pending states). */
  className?: string;
  /** After the text: the state of a pending message. */
  children?: ReactNode;
}

/** One message: author and local time above the text, unless it continues the author's burst. */
export function MessageItem({ user, time, text, mine, continued, className, children }: MessageItemProps) {
  const classes = ['message', mine && 'message--mine', continued && 'message--continued', className];
  return (
    // The user's own messages need no announcement: they just wrote them.
    <li className={classes.filter(Boolean).join(' ')} aria-live={mine ? 'off' : undefined}>
      {continued ? (
        <span className="visually-hidden">
          {user.name}
          {user.guest && ' (guest)'}, {formatClock(time)}:{' '}
        </span>
      ) : (
        <div className="message__meta">
          <UserName user={user} />
          <time dateTime={time} title={formatFullTime(time)}>
            {formatClock(time)}
          </time>
        </div>
      )}
      <div className="message__body">
        <MessageText text={text} />
        {children}
      </div>
    </li>
  );
}
