import { useState, type FormEvent } from 'react';
import { RoomNameSchema, RoomTopicSchema, type CreateRoomRequest } from '@chat/contracts';
import { Dialog } from './Dialog.js';
import { FieldError } from './FieldError.js';
import { useSubmit } from './useSubmit.js';

interface CreateRoomDialogProps {
  onCreate: (request: CreateRoomRequest) => Promise<void>;
  onClose: () => void;
}

/** Create a room: a name, public (in the directory) or private (invited people only), a topic. */
export function CreateRoomDialog({ onCreate, onClose }: CreateRoomDialogProps) {
  const [name, setName] = useState('');
  const [kind, setKind] = useState<'public' | 'private'>('public');
  const [topic, setTopic] = useState('');
  const { busy, error, setError, run } = useSubmit();

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const parsedName = RoomNameSchema.safeParse(name.trim().toLowerCase());
    const parsedTopic = RoomTopicSchema.safeParse(topic);
    if (!parsedName.success) return setError(parsedName.error.issues[0]?.message ?? 'invalid room name');
    if (!parsedTopic.success) return setError(parsedTopic.error.issues[0]?.message ?? 'invalid topic');
    const request: CreateRoomRequest = { name: parsedName.data, kind };
    if (parsedTopic.data !== '') request.topic = parsedTopic.data;
    if (await run(() => onCreate(request))) onClose();
  };

  return (
    <Dialog title="Create a room" onClose={onClose}>
      <form className="dialog__form" onSubmit={(event) => void submit(event)}>
        <label htmlFor="create-name">Name</label>
        <input
          id="create-name"
          value={name}
          placeholder="room-name"
          maxLength={32}
          autoFocus
          aria-invalid={error !== null}
          aria-describedby="create-error"
          onChange={(event) => setName(event.target.value)}
        />
        <fieldset className="dialog__choices">
          <legend>Who can find it</legend>
          <label>
            <input type="radio" name="kind" checked={kind === 'public'} onChange={() => setKind('public')} />{' '}
            Public: anyone can find and join it
          </label>
          <label>
            <input
              type="radio"
              name="kind"
              checked={kind === 'private'}
              onChange={() => setKind('private')}
            />{' '}
            Private: only people you invite
          </label>
        </fieldset>
        <label htmlFor="create-topic">Topic (optional)</label>
        <input
          id="create-topic"
          value={topic}
          maxLength={250}
          onChange={(event) => setTopic(event.target.value)}
        />
        <FieldError id="create-error" error={error} />
        <div className="dialog__actions">
          <button type="submit" disabled={busy}>
            {busy ? 'Creating…' : 'Create room'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
