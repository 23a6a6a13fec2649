import { useEffect, useRef } from 'react';
import type { Attachment } from '@chat/contracts';

/**
 * An image full size, over the page, on the platform's modal `<dialog>`: the rest of the page is
 * inert, Escape closes, and focus returns to the thumbnail that opened it. Tab cycles through the
 * lightbox's own controls: a modal dialog alone would let it leave for the browser's toolbar.
 */
export function Lightbox({ image, onClose }: { image: Attachment; onClose: () => void }) {
  const ref = useRef<HTMLDialogElement>(null);
  const latestClose = useRef(onClose);
  useEffect(() => {
    latestClose.current = onClose;
  });
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    if (typeof dialog.showModal === 'function') dialog.showModal();
    else dialog.setAttribute('open', ''); // jsdom
    dialog.querySelector('button')?.focus();
    const onCancel = (event: Event) => {
      event.preventDefault();
      latestClose.current();
    };
    dialog.addEventListener('cancel', onCancel);
    return () => {
      dialog.removeEventListener('cancel', onCancel);
      if (dialog.open && typeof dialog.close === 'function') dialog.close();
      opener?.focus();
    };
  }, []);
  return (
    <dialog
      ref={ref}
      className="lightbox"
      aria-label={image.name}
      onKeyDown={(event) => {
        if (event.key !== 'Tab') return;
        const controls = [...event.currentTarget.querySelectorAll<HTMLElement>('a[href], button')];
        const first = controls[0];
        const last = controls[controls.length - 1];
        if (!first || !last) return;
        const active = document.activeElement;
        if (event.shiftKey ? active === first : active === last) {
          event.preventDefault();
          (event.shiftKey ? last : first).focus();
        }
      }}
      onClick={(event) => {
        // A click on the backdrop (the dialog itself, not its content) closes it.
        if (event.target === event.currentTarget) onClose();
      }}
    >
      <div className="lightbox__bar">
        <span className="lightbox__name">{image.name}</span>
        <a className="link-button" href={image.url} download={image.name}>
          Download
        </a>
        <button type="button" className="button--quiet" onClick={onClose}>
          Close
        </button>
      </div>
      <img className="lightbox__image" src={image.url} alt={image.name} />
    </dialog>
  );
}
