import {
  useImperativeHandle,
  useState,
  type FormEvent,
  type KeyboardEvent,
  type ReactNode,
  type Ref,
} from 'react';
import type { ChatMessage } from '@chat/contracts';
import { ReplyingTo } from './ReplyingTo.js';
import { AttachButton } from './attachments/AttachButton.js';
import { AttachmentTray } from './attachments/AttachmentTray.js';
import { useAttachmentUploads } from './attachments/useAttachmentUploads.js';
import { useFileDrop } from './attachments/useFileDrop.js';

/** Adds files to this composer's message (a drop elsewhere on the panel hands them here). */
type AttachFiles = (files: File[]) => void;

interface ComposerProps {
  /** What the field is for, as its label and placeholder says: "Message #design", "Reply in thread". */
  label: string;
  /** The field's id (two composers can be on screen: the room's and a thread's). */
  id?: string;
  /**
   * `attachments`: ids of uploaded files (only with `files`); the text may then be empty.
   * `clientId`: for a message that waited for its files, the one to send it with.
   */
  onSend: (text: string, attachments?: string[], clientId?: string) => void;
  /** Files can be attached (button, drop, paste): for registered users. */
  files?: boolean;
  /** Whose composer this is (`<userId> room:<name>`): messages waiting for files survive a reload. */
  outboxOwner?: string;
  /** The file button's name for screen readers, where two composers are on screen. */
  attachLabel?: string;
  /**
   * Gets the function that adds files to this composer: for a drop zone around it (the thread
   * panel takes files dropped anywhere on it).
   */
  attachRef?: Ref<AttachFiles | null>;
  onTyping: () => void;
  maxLength: number;
  inputRef?: Ref<HTMLTextAreaElement>;
  /** Shown under the field on the left (who is typing). */
  status?: ReactNode;
  /** The message the next one answers (quoted), with a way to cancel. */
  replyingTo?: ChatMessage | null;
  onCancelReply?: () => void;
  /** Up arrow in the empty field: edit your last message; true when there was one. */
  onEditLast?: () => boolean;
  /** Under the field: how to send (shorter in a narrow thread panel). */
  hint?: string;
  /** Why you cannot write here (muted), instead of the field's placeholder; the field is then off. */
  disabledReason?: string;
}

/** Enter sends, Shift+Enter starts a new line; the field grows with its text up to a few lines. */
export function Composer(props: ComposerProps) {
  const { label, id = 'message', onSend, onTyping, maxLength, inputRef, status, replyingTo } = props;
  const [text, setText] = useState('');
  const uploads = useAttachmentUploads(
    (message, ids, clientId) => onSend(message, ids, clientId),
    props.files ? props.outboxOwner : undefined,
  );
  // Muted, you cannot write: no files either, however they come.
  const canAttach = props.files === true && props.disabledReason === undefined;
  const drop = useFileDrop(canAttach ? uploads.add : undefined);
  useImperativeHandle<AttachFiles | null, AttachFiles | null>(
    props.attachRef,
    () => (canAttach ? uploads.add : null),
    [canAttach, uploads.add],
  );
  const hasFiles = uploads.items.length > 0;
  const length = [...text].length;
  const tooLong = length > maxLength;
  const nearLimit = length > maxLength * 0.8;

  const submit = (event?: FormEvent) => {
    event?.preventDefault();
    if ((text.trim() === '' && !hasFiles) || tooLong || uploads.blocked) return;
    if (hasFiles) uploads.submit(text.trim() === '' ? '' : text);
    else onSend(text);
    setText('');
  };

  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      submit();
    } else if (event.key === 'ArrowUp' && text === '' && !event.altKey && !event.shiftKey) {
      if (props.onEditLast?.()) event.preventDefault();
    } else if (event.key === 'Escape' && replyingTo) {
      event.stopPropagation();
      props.onCancelReply?.();
    }
  };

  return (
    <form className={drop.over ? 'composer composer--drop' : 'composer'} onSubmit={submit} {...drop.handlers}>
      {replyingTo && <ReplyingTo message={replyingTo} onCancel={() => props.onCancelReply?.()} />}
      <label htmlFor={id} className="visually-hidden">
        {replyingTo ? `Reply to ${replyingTo.user.name}` : label}
      </label>
      <div className="composer__box">
        {props.files && (
          <AttachButton
            onFiles={uploads.add}
            label={props.attachLabel}
            disabled={props.disabledReason !== undefined}
          />
        )}
        <textarea
          id={id}
          ref={inputRef}
          rows={1}
          value={text}
          placeholder={props.disabledReason ?? label}
          disabled={props.disabledReason !== undefined}
          aria-describedby={`${id}-hint ${id}-count`}
          aria-invalid={tooLong}
          onChange={(event) => {
            setText(event.target.value);
            if (event.target.value.trim() !== '') onTyping();
          }}
          onKeyDown={onKeyDown}
          onPaste={drop.onPaste}
          autoFocus
        />
        <button
          type="submit"
          className="composer__send"
          disabled={(text.trim() === '' && !hasFiles) || tooLong || uploads.blocked}
        >
          Send
        </button>
      </div>
      {props.files && <AttachmentTray uploads={uploads} />}
      <div className="composer__footer">
        <div className="composer__status">{status}</div>
        <span id={`${id}-hint`} className="composer__hint" hidden={nearLimit}>
          {props.hint ?? 'Enter to send, Shift+Enter for a new line, ↑ to edit your last message'}
        </span>
        <span
          id={`${id}-count`}
          className={tooLong ? 'composer__count composer__count--over' : 'composer__count'}
        >
          {nearLimit ? `${length} / ${maxLength} characters` : ''}
        </span>
      </div>
    </form>
  );
}
