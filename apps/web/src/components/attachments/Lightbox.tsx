import type { Attachment } from '@chat/contracts';
import { useModalDialog } from '../dialogs/useModalDialog.js';

/**
 * An image full size, over the page, in a modal (see useModalDialog): focus on Close, Tab kept
 * inside, Escape or a click on the backdrop closes, and focus returns to the thumbnail.
 */
export function Lightbox({ image, onClose }: { image: Attachment; onClose: () => void }) {
  const { ref, onKeyDown } = useModalDialog(onClose);
  return (
    <dialog
      ref={ref}
      className="lightbox"
      aria-label={image.name}
      onKeyDown={onKeyDown}
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
