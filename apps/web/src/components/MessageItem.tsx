import type { ReactNode, Ref } from 'react';
import type { User } from '@chat/contracts';
import { displayText } from '../lib/text/bidi.js';
import { Avatar } from './list/Avatar.js';
import { MessageTime } from './list/MessageTime.js';
import { MessageText } from './MessageText.js';
import { UserName } from './UserName.js';

interface MessageItemProps {
  user: User;
  time: string;
  text: string;
  mine: boolean;
  /** It starts a group (avatar, name, time), as StoredMessage's `head`. */
  head?: boolean;
  /** Extra classes (pending states). */
  className?: string;
  /** The virtual list measures the row through this ref (with `data-index`). */
  measureRef?: Ref<HTMLLIElement>;
  index?: number;
  /** After the text: the state of a pending message. */
  children?: ReactNode;
}

/** A message not stored yet (the user's own, pending): laid out as a stored one, without actions. */
export function MessageItem({
  user,
  time,
  text,
  mine,
  head = true,
  className,
  measureRef,
  index,
  children,
}: MessageItemProps) {
  const classes = ['message', mine && 'message--mine', head ? 'message--head' : 'message--cont', className];
  return (
    // The user's own messages need no announcement: they just wrote them.
    <li
      ref={measureRef}
      data-index={index}
      className={classes.filter(Boolean).join(' ')}
      aria-live={mine ? 'off' : undefined}
    >
      <div className="message__gutter">{head ? <Avatar user={user} /> : <MessageTime time={time} />}</div>
      <div className="message__content">
        {head ? (
          <div className="message__header">
            <UserName user={user} /> <MessageTime time={time} />
          </div>
        ) : (
          <span className="visually-hidden">{displayText(user.name)}: </span>
        )}
        <MessageText text={text} me={user.name} />
        {children}
      </div>
    </li>
  );
}
