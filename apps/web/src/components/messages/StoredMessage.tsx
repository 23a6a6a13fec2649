import { useRef, useState, type KeyboardEvent, type Ref } from 'react';
import type { ChatMessage } from '@chat/contracts';
import { displayText } from '../../lib/text/bidi.js';
import { formatFullTime } from '../../lib/time/format.js';
import { actionOf } from '../list/action.js';
import { Avatar } from '../list/Avatar.js';
import { MessageTime } from '../list/MessageTime.js';
import { MessageText } from '../MessageText.js';
import { MessageAttachments } from '../attachments/MessageAttachments.js';
import { Author } from './Author.js';
import { InTabOrder, messageElementId, useConversation } from './ConversationContext.js';
import { MessageEditor } from './MessageEditor.js';
import { MessageToolbar } from './MessageToolbar.js';
import { ReactionChips } from './ReactionChips.js';
import { ReplyQuote } from './ReplyQuote.js';
import { ThreadSummaryButton } from './ThreadSummaryButton.js';

interface StoredMessageProps {
  message: ChatMessage;
  /** Which list it is in ('room' or 'thread'): element ids are unique per list. */
  scope: string;
  /**
   * Focus is in this message: its controls join the tab order (only then, so a long list is
   * one tab stop: arrow keys move between messages).
   */
  current: boolean;
  /** The message itself is a tab stop (a thread's root, alone above its replies). */
  tabStop?: boolean;
  /** Focus came into the message (its id) or left it (null). */
  onFocused: (id: string | null) => void;
  /**
   * It starts a group: avatar, name and time above it. Later messages of the group show their
   * time on hover and their author to screen readers only. Default true (a thread's root).
   */
  head?: boolean;
  /** The virtual list measures the row through this ref (with `data-index`). */
  measureRef?: Ref<HTMLLIElement>;
  index?: number;
}

const SHORTCUTS = 'R E T + Delete';

/**
 * A stored message: avatar, name and time (when it starts a group), quote, text, "(edited)",
 * reactions, thread summary and its actions; a `/me` line reads "* name waves". Focused, it
 * takes shortcuts: R reply, E edit, T thread, + react, Delete delete.
 */
export function StoredMessage(props: StoredMessageProps) {
  const { message, scope, current, tabStop, onFocused, head = true, measureRef, index } = props;
  const c = useConversation();
  const [open, setOpen] = useState<'react' | 'delete' | null>(null);
  const ref = useRef<HTMLLIElement>(null);
  const setRef = (element: HTMLLIElement | null) => {
    ref.current = element;
    if (typeof measureRef === 'function') measureRef(element);
  };
  const meAction = actionOf(message);
  const endEdit = () => c.stopEditing(ref.current);
  const mine = message.user.id === c.me.id;
  const editing = c.editing === message.id && !message.deleted;

  const onKeyDown = (event: KeyboardEvent<HTMLLIElement>) => {
    if (event.target !== event.currentTarget || message.deleted) return;
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    const action = {
      r: c.canWrite ? () => c.reply(message) : undefined,
      e: mine && c.canWrite ? () => c.startEditing(message.id) : undefined,
      t: c.threads ? () => c.openThread(message) : undefined,
      '+': c.canWrite ? () => setOpen('react') : undefined,
      Delete: mine || c.canModerate ? () => setOpen('delete') : undefined,
    }[event.key.length === 1 ? event.key.toLowerCase() : event.key];
    if (!action) return;
    event.preventDefault();
    action();
  };

  const classes = [
    'message',
    mine && 'message--mine',
    message.deleted && 'message--deleted',
    message.replyTo && 'message--reply',
    head ? 'message--head' : 'message--cont',
    meAction !== null && 'message--action',
    (message.mentions ?? []).includes(c.me.id) && 'message--mentions-me',
  ];
  const body = message.deleted ? (
    <span className="message__deleted">This message was deleted</span>
  ) : editing ? (
    <MessageEditor
      text={message.text}
      onSave={(text) => {
        endEdit();
        c.edit(message, text);
      }}
      onCancel={endEdit}
    />
  ) : meAction !== null ? (
    <div className="message__action">
      <span aria-hidden="true">* </span>
      <Author user={message.user} /> <MessageText text={meAction} me={c.me.name} />
    </div>
  ) : (
    <MessageText text={message.text} me={c.me.name} />
  );
  return (
    <li
      ref={setRef}
      data-index={index}
      id={messageElementId(scope, message.id)}
      className={classes.filter(Boolean).join(' ')}
      data-message-id={message.id}
      data-seq={message.seq}
      tabIndex={tabStop ? 0 : -1}
      aria-keyshortcuts={message.deleted ? undefined : SHORTCUTS}
      aria-live={mine ? 'off' : undefined}
      onFocus={() => onFocused(message.id)}
      onBlur={(event) => {
        if (!event.currentTarget.contains(event.relatedTarget)) onFocused(null);
      }}
      onKeyDown={onKeyDown}
    >
      <InTabOrder.Provider value={current || tabStop === true}>
        <div className="message__gutter">
          {head && meAction === null ? <Avatar user={message.user} /> : <MessageTime time={message.time} />}
        </div>
        <div className="message__content">
          {message.replyTo && <ReplyQuote quote={message.replyTo} onJump={c.jumpTo} />}
          {head && meAction === null ? (
            <div className="message__header">
              <Author user={message.user} /> <MessageTime time={message.time} />
            </div>
          ) : (
            meAction === null && <span className="visually-hidden">{displayText(message.user.name)}: </span>
          )}
          {body}
          {message.attachments && !message.deleted && (
            <MessageAttachments attachments={message.attachments} />
          )}
          {message.editedAt && !message.deleted && !editing && (
            <span className="message__edited" title={`Edited ${formatFullTime(message.editedAt)}`}>
              {' '}
              (edited)
            </span>
          )}
          {message.reactions && (
            <ReactionChips
              reactions={message.reactions}
              onToggle={c.canWrite ? (emoji, on) => c.react(message, emoji, on) : undefined}
            />
          )}
          {c.threads && message.thread && message.thread.replyCount > 0 && (
            <ThreadSummaryButton summary={message.thread} onOpen={() => c.openThread(message)} />
          )}
        </div>
        {!message.deleted && !editing && (
          <MessageToolbar
            message={message}
            tabbable={current || tabStop === true}
            open={open}
            setOpen={setOpen}
          />
        )}
      </InTabOrder.Provider>
    </li>
  );
}
