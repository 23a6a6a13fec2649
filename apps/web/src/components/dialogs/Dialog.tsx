import { useId, type ReactNode } from 'react';
import { useModalDialog } from './useModalDialog.js';

interface DialogProps {
  title: string;
  onClose: () => void;
  children: ReactNode;
}

/**
 * A modal dialog with a title and a Close button (see useModalDialog: focus kept inside, Escape
 * closes, the rest of the page inert, focus back to what had it before on close).
 */
export function Dialog({ title, onClose, children }: DialogProps) {
  const titleId = useId();
  // The first field, not the header's Close button: what the dialog is for comes first.
  const { ref, onKeyDown } = useModalDialog(onClose, { initialFocus: 'input, textarea, select' });
  return (
    <dialog ref={ref} className="dialog" aria-labelledby={titleId} onKeyDown={onKeyDown}>
      <div className="dialog__header">
        <h2 id={titleId} className="dialog__title">
          {title}
        </h2>
        <button type="button" className="button--quiet" onClick={onClose}>
          Close
        </button>
      </div>
      {children}
    </dialog>
  );
}
