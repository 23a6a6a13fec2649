import { useState, type FormEvent } from 'react';
import { RoomNameSchema } from '@chat/contracts';

interface QuickJoinProps {
  /** Accounts may create a room by joining a name nobody has taken (a public one). */
  canCreate: boolean;
  onOpen: (room: string) => void;
}

/** Join a public room by its name, without browsing (and, for accounts, create it if it is new). */
export function QuickJoin({ canCreate, onOpen }: QuickJoinProps) {
  const [name, setName] = useState('');
  const [error, setError] = useState<string | null>(null);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const parsed = RoomNameSchema.safeParse(name.trim().toLowerCase());
    if (!parsed.success) {
      setError(parsed.error.issues[0]?.message ?? 'invalid room name');
      return;
    }
    setError(null);
    setName('');
    onOpen(parsed.data);
  };
  return (
    <form onSubmit={submit} className="rooms__join">
      <label htmlFor="join-room">{canCreate ? 'Join or create a room' : 'Join a room'}</label>
      <div className="rooms__join-row">
        <input
          id="join-room"
          value={name}
          placeholder="room-name"
          maxLength={32}
          aria-invalid={error !== null}
          aria-describedby={error ? 'join-room-error' : undefined}
          onChange={(e) => setName(e.target.value)}
        />
        <button type="submit">{canCreate ? 'Go' : 'Join'}</button>
      </div>
      {error && (
        <span id="join-room-error" className="field-error" role="alert">
          {error}
        </span>
      )}
    </form>
  );
}
