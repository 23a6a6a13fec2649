import { useCallback, useEffect, useRef, type KeyboardEvent, type RefObject } from 'react';

/** What a keyboard user can reach with Tab (disabled, hidden and `tabindex="-1"` left out). */
const TABBABLE =
  'a[href], button:not([disabled]), input:not([disabled]):not([type="hidden"]), select:not([disabled]), ' +
  'textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

export interface ModalDialogOptions {
  /**
   * Where focus goes on opening: the first element matching this selector, else the first
   * button (Close). A form's dialog says `'input, textarea, select'`: what it is for comes first.
   */
  initialFocus?: string;
}

export interface ModalDialog {
  ref: RefObject<HTMLDialogElement | null>;
  /** On the `<dialog>`: Tab and Shift+Tab cycle inside it, Escape closes. */
  onKeyDown: (event: KeyboardEvent<HTMLDialogElement>) => void;
}

/**
 * A modal on the platform's `<dialog>` (spread `ref` and `onKeyDown` on it), opened as it mounts:
 * the rest of the page is inert, focus moves in and cycles through its own controls (a modal
 * dialog alone lets Tab leave for the browser's toolbar), Escape calls `onClose`, and focus
 * returns, on unmount, to what had it before.
 */
export function useModalDialog(onClose: () => void, options: ModalDialogOptions = {}): ModalDialog {
  const ref = useRef<HTMLDialogElement>(null);
  const latestClose = useRef(onClose);
  useEffect(() => {
    latestClose.current = onClose;
  });
  const initialFocus = useRef(options.initialFocus);

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    if (typeof dialog.showModal === 'function') dialog.showModal();
    else dialog.setAttribute('open', ''); // jsdom
    const first = initialFocus.current ? dialog.querySelector<HTMLElement>(initialFocus.current) : null;
    (first ?? dialog.querySelector('button'))?.focus();
    // The browser's own close request (Escape not handled below, the Android back button): the
    // dialog stays open until its owner unmounts it, so that focus goes back as it should.
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

  const onKeyDown = useCallback((event: KeyboardEvent<HTMLDialogElement>) => {
    if (event.key === 'Escape') {
      // A control inside that used Escape itself (a search box) has said so with preventDefault.
      // Handled, it goes no further: the page beneath (a message list, the sidebar) has Escape
      // handlers of its own, and React bubbles through the component tree, not the DOM.
      if (!event.defaultPrevented) {
        event.preventDefault();
        latestClose.current();
      }
      event.stopPropagation();
      return;
    }
    if (event.key !== 'Tab') return;
    const controls = [...event.currentTarget.querySelectorAll<HTMLElement>(TABBABLE)].filter(
      (control) => !control.closest('[hidden], [inert]'),
    );
    const first = controls[0];
    const last = controls[controls.length - 1];
    if (!first || !last) return;
    const active = document.activeElement;
    if (event.shiftKey ? active === first : active === last) {
      event.preventDefault();
      (event.shiftKey ? last : first).focus();
    }
  }, []);

  return { ref, onKeyDown };
}
