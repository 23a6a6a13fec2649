import { useEffect, useRef } from 'react';

/** "Delete for everyone?" in place, with focus on the choice; Escape cancels. */
export function ConfirmDelete({ onConfirm, onCancel }: { onConfirm: () => void; onCancel: () => void }) {
  const ref = useRef<HTMLButtonElement>(null);
  useEffect(() => ref.current?.focus(), []);
  return (
    <div
      className="confirm"
      role="group"
      aria-label="Delete this message?"
      onKeyDown={(event) => {
        event.stopPropagation();
        if (event.key === 'Escape') onCancel();
      }}
    >
      <span>Delete this message for everyone?</span>
      <button type="button" className="button--danger" ref={ref} onClick={onConfirm}>
        Delete
      </button>
      <button type="button" className="button--quiet" onClick={onCancel}>
        Cancel
      </button>
    </div>
  );
}
