import { useState, type FormEvent, type KeyboardEvent, type ReactNode, type Ref } from 'react';

interface ComposerProps {
  room: string;
  onSend: (text: string) => void;
  onTyping: () => void;
  maxLength: number;
  inputRef?: Ref<HTMLTextAreaElement>;
  /** Shown under the field on the left (who is typing). */
  status?: ReactNode;
}

/** Enter sends, Shift+Enter starts a new line; the field grows with its text up to a few lines. */
export function Composer({ room, onSend, onTyping, maxLength, inputRef, status }: ComposerProps) {
  const [text, setText] = useState('');
  const length = [...text].length;
  const tooLong = length > maxLength;
  const nearLimit = length > maxLength * 0.8;

  const submit = (event?: FormEvent) => {
    event?.preventDefault();
    if (text.trim() === '' || tooLong) return;
    onSend(text);
    setText('');
  };

  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      submit();
    }
  };

  return (
    <form className="composer" onSubmit={submit}>
      <label htmlFor="message" className="visually-hidden">
        Message #{room}
      </label>
      <div className="composer__box">
        <textarea
          id="message"
          ref={inputRef}
          rows={1}
          value={text}
          placeholder={`Message #${room}`}
          aria-describedby="message-hint message-count"
          aria-invalid={tooLong}
          onChange={(event) => {
            setText(event.target.value);
            if (event.target.value.trim() !== '') onTyping();
          }}
          onKeyDown={onKeyDown}
          autoFocus
        />
        <button type="submit" className="composer__send" disabled={text.trim() === '' || tooLong}>
          Send
        </button>
      </div>
      <div className="composer__footer">
        <div className="composer__status">{status}</div>
        <span id="message-hint" className="composer__hint" hidden={nearLimit}>
          Enter to send, Shift+Enter for a new line
        </span>
        <span
          id="message-count"
          className={tooLong ? 'composer__count composer__count--over' : 'composer__count'}
        >
          {nearLimit ? `${length} / ${maxLength} characters` : ''}
        </span>
      </div>
    </form>
  );
}
