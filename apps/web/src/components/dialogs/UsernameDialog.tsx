import { useState, type FormEvent } from 'react';
import { Dialog } from './Dialog.js';
import { FieldError } from './FieldError.js';
import { useSubmit } from './useSubmit.js';

interface UsernameDialogProps {
  title: string;
  /** The submit button's words ("Invite", "Open"). */
  action: string;
  hint?: string;
  onSubmit: (username: string) => Promise<void>;
  onClose: () => void;
  /** Stay open after a success (inviting several people); else close. */
  keepOpen?: boolean;
}

/** Asks for someone's username: to write to them directly, or to invite them to a room. */
export function UsernameDialog({ title, action, hint, onSubmit, onClose, keepOpen }: UsernameDialogProps) {
  const [username, setUsername] = useState('');
  const [done, setDone] = useState<string | null>(null);
  const { busy, error, setError, run } = useSubmit();
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const name = username.trim();
    if (name === '') return setError('Type a username.');
    setDone(null);
    if (!(await run(() => onSubmit(name)))) return;
    if (!keepOpen) return onClose();
    setDone(`${action}: ${name} — done.`);
    setUsername('');
  };
  return (
    <Dialog title={title} onClose={onClose}>
      <form className="dialog__form" onSubmit={(event) => void submit(event)}>
        <label htmlFor="username-field">Username</label>
        <input
          id="username-field"
          value={username}
          autoFocus
          autoComplete="off"
          maxLength={64}
          aria-invalid={error !== null}
          aria-describedby={hint ? 'username-hint username-error' : 'username-error'}
          onChange={(event) => setUsername(event.target.value)}
        />
        {hint && (
          <p id="username-hint" className="hint">
            {hint}
          </p>
        )}
        <FieldError id="username-error" error={error} />
        {done && (
          <p className="hint" role="status">
            {done}
          </p>
        )}
        <div className="dialog__actions">
          <button type="submit" disabled={busy}>
            {action}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
