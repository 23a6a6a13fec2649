import { useRef, useState, type KeyboardEvent } from 'react';
import type { ChatMessage } from '@chat/contracts';
import { formatClock, formatFullTime } from '../../lib/time/format.js';
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
}

const SHORTCUTS = 'R E T + Delete';

/**
 * A stored message: quote, `[time] name: text`, "(edited)", reactions, thread summary and its
 * actions. Focused, it takes shortcuts: R reply, E edit, T thread, + react, Delete delete.
 */
export function StoredMessage({ message, scope, current, tabStop, onFocused }: StoredMessageProps) {
  const c = useConversation();
  const [open, setOpen] = useState<'react' | 'delete' | null>(null);
  const ref = useRef<HTMLLIElement>(null);
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
  ];
  return (
    <li
      ref={ref}
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
        {message.replyTo && <ReplyQuote quote={message.replyTo} onJump={c.jumpTo} />}
        <time dateTime={message.time} title={formatFullTime(message.time)}>
          [{formatClock(message.time)}]
        </time>{' '}
        <Author user={message.user} />
        <span className="message__colon">: </span>
        {message.deleted ? (
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
        ) : (
          <MessageText text={message.text} />
        )}
        {message.attachments && !message.deleted && <MessageAttachments attachments={message.attachments} />}
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
