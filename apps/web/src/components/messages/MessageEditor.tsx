import { useEffect, useRef, useState, type KeyboardEvent } from 'react';

interface MessageEditorProps {
  text: string;
  onSave: (text: string) => void;
  onCancel: () => void;
}

/** Edits a message in place: Enter saves, Shift+Enter a new line, Escape cancels. */
export function MessageEditor({ text, onSave, onCancel }: MessageEditorProps) {
  const [draft, setDraft] = useState(text);
  const ref = useRef<HTMLTextAreaElement>(null);
  useEffect(() => {
    const field = ref.current;
    field?.focus();
    field?.setSelectionRange(field.value.length, field.value.length);
  }, []);
  const save = () => {
    if (draft.trim() === '') return;
    if (draft === text) onCancel();
    else onSave(draft);
  };
  const onKeyDown = (event: KeyboardEvent) => {
    event.stopPropagation(); // the list's shortcuts are not for a field
    if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      save();
    } else if (event.key === 'Escape') {
      event.preventDefault();
      onCancel();
    }
  };
  return (
    <div className="message-editor">
      <label className="visually-hidden" htmlFor="edit-message">
        Edit your message
      </label>
      <textarea
        id="edit-message"
        ref={ref}
        rows={2}
        value={draft}
        onChange={(event) => setDraft(event.target.value)}
        onKeyDown={onKeyDown}
      />
      <div className="message-editor__actions">
        <span className="hint">Enter to save, Escape to cancel</span>
        <button type="button" className="button--quiet" onClick={onCancel}>
          Cancel
        </button>
        <button type="button" onClick={save} disabled={draft.trim() === ''}>
          Save
        </button>
      </div>
    </div>
  );
}
