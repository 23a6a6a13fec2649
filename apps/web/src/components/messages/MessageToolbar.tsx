import { useRef } from 'react';
import type { ChatMessage } from '@chat/contracts';
import { useConversation } from './ConversationContext.js';
import { ConfirmDelete } from './ConfirmDelete.js';
import { ReactionPicker } from './ReactionPicker.js';

interface MessageToolbarProps {
  message: ChatMessage;
  /** In the tab order (the message is the current one of its list); else reached by pointer only. */
  tabbable: boolean;
  /** Set from the message's own shortcuts: open the picker or the delete confirmation. */
  open: 'react' | 'delete' | null;
  setOpen: (open: 'react' | 'delete' | null) => void;
}

/**
 * A message's actions: react, reply, thread, edit and delete (those you may). Shown on hover
 * and focus; the same actions have shortcuts on the focused message (see StoredMessage).
 */
export function MessageToolbar({ message, tabbable, open, setOpen }: MessageToolbarProps) {
  const c = useConversation();
  const reactRef = useRef<HTMLButtonElement>(null);
  const deleteRef = useRef<HTMLButtonElement>(null);
  const wrapRef = useRef<HTMLDivElement>(null);
  const mine = message.user.id === c.me.id;
  const tabIndex = tabbable ? 0 : -1;
  const mineEmoji = new Set((message.reactions ?? []).filter((r) => r.me).map((r) => r.emoji));
  const close = (focus: 'react' | 'delete') => {
    setOpen(null);
    (focus === 'react' ? reactRef : deleteRef).current?.focus();
  };

  return (
    <div className={open ? 'message__actions message__actions--open' : 'message__actions'} ref={wrapRef}>
      <div role="toolbar" aria-label="Message actions" className="message__toolbar">
        {c.canWrite && (
          <button
            type="button"
            ref={reactRef}
            tabIndex={tabIndex}
            aria-expanded={open === 'react'}
            aria-keyshortcuts="+"
            onClick={() => setOpen(open === 'react' ? null : 'react')}
          >
            React
          </button>
        )}
        {c.canWrite && (
          <button type="button" tabIndex={tabIndex} aria-keyshortcuts="R" onClick={() => c.reply(message)}>
            Reply
          </button>
        )}
        {c.threads && (
          <button
            type="button"
            tabIndex={tabIndex}
            aria-keyshortcuts="T"
            onClick={() => c.openThread(message)}
          >
            Thread
          </button>
        )}
        {mine && c.canWrite && (
          <button
            type="button"
            tabIndex={tabIndex}
            aria-keyshortcuts="E"
            onClick={() => c.startEditing(message.id)}
          >
            Edit
          </button>
        )}
        {(mine || c.canModerate) && (
          <button
            type="button"
            ref={deleteRef}
            tabIndex={tabIndex}
            aria-keyshortcuts="Delete"
            aria-expanded={open === 'delete'}
            onClick={() => setOpen(open === 'delete' ? null : 'delete')}
          >
            Delete
          </button>
        )}
      </div>
      {open === 'react' && (
        <ReactionPicker
          mine={mineEmoji}
          onPick={(emoji, on) => {
            c.react(message, emoji, on);
            close('react');
          }}
          onClose={() => close('react')}
        />
      )}
      {open === 'delete' && (
        <ConfirmDelete
          onConfirm={() => {
            // The toolbar goes with the text: focus stays on the message (a tombstone now).
            wrapRef.current?.closest('li')?.focus();
            setOpen(null);
            c.remove(message);
          }}
          onCancel={() => close('delete')}
        />
      )}
    </div>
  );
}
