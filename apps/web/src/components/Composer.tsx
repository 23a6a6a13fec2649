import { useState, type FormEvent, type KeyboardEvent } from 'react';

interface ComposerProps {
  room: string;
  onSend: (text: string) => void;
  onTyping: () => void;
  maxLength: number;
}

/** Enter sends, Shift+Enter starts a new line. */
export function Composer({ room, onSend, onTyping, maxLength }: ComposerProps) {
  const [text, setText] = useState('');
  const length = [...text].length;
  const tooLong = length > maxLength;

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
      <textarea
        id="message"
        rows={2}
        value={text}
        placeholder={`Message #${room} (Enter to send, Shift+Enter for a new line)`}
        aria-describedby="message-count"
        aria-invalid={tooLong}
        onChange={(event) => {
          setText(event.target.value);
          if (event.target.value.trim() !== '') onTyping();
        }}
        onKeyDown={onKeyDown}
        autoFocus
      />
      <button type="submit" disabled={text.trim() === '' || tooLong}>
        Send
      </button>
      <span
        id="message-count"
        className={tooLong ? 'composer__count composer__count--over' : 'composer__count'}
      >
        {length > maxLength * 0.8 ? `${length} / ${maxLength} characters` : ''}
      </span>
    </form>
  );
}
