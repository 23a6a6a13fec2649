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
  /** Extra classes (pending states). */
  className?: string;
  /** After the text: the state of a pending message. */
  children?: ReactNode;
}

/**
 * One message as the protocol's reference client shows it, `[time] name: text`, on every line:
 * each line stands on its own for a reader, a screen reader and a copy-paste.
 */
export function MessageItem({ user, time, text, mine, className, children }: MessageItemProps) {
  const classes = ['message', mine && 'message--mine', className];
  return (
    // The user's own messages need no announcement: they just wrote them.
    <li className={classes.filter(Boolean).join(' ')} aria-live={mine ? 'off' : undefined}>
      <time dateTime={time} title={formatFullTime(time)}>
        [{formatClock(time)}]
      </time>{' '}
      <UserName user={user} />
      <span className="message__colon">: </span>
      <MessageText text={text} />
      {children}
    </li>
  );
}
