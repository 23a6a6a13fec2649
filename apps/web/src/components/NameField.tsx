import { useState, type FormEvent } from 'react';
import { DEFAULT_DISPLAY_NAME, DisplayNameSchema } from '@chat/contracts';

/** The display name; applied (which reconnects) on Enter or when the field loses focus. */
export function NameField({ name, onChange }: { name: string; onChange: (name: string) => void }) {
  const [draft, setDraft] = useState(name);
  const [error, setError] = useState<string | null>(null);

  const apply = (event?: FormEvent) => {
    event?.preventDefault();
    const value = draft.trim() === '' ? DEFAULT_DISPLAY_NAME : draft;
    const parsed = DisplayNameSchema.safeParse(value);
    if (!parsed.success) {
      setError(parsed.error.issues[0]?.message ?? 'invalid name');
      return;
    }
    setError(null);
    setDraft(parsed.data);
    if (parsed.data !== name) onChange(parsed.data);
  };

  return (
    <form className="name-field" onSubmit={apply}>
      <label htmlFor="name">Your name</label>
      <input
        id="name"
        value={draft}
        maxLength={32}
        autoComplete="nickname"
        aria-invalid={error !== null}
        aria-describedby={error ? 'name-error' : undefined}
        onChange={(event) => setDraft(event.target.value)}
        onBlur={() => apply()}
      />
      {error && (
        <span id="name-error" className="field-error" role="alert">
          {error}
        </span>
      )}
    </form>
  );
}
