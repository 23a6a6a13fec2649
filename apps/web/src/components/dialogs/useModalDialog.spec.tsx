import { describe, expect, it, jest } from '@jest/globals';
import { fireEvent, render, screen } from '@testing-library/react';
import { useState } from 'react';
import { useModalDialog } from './useModalDialog.js';

/** A page with a button that opens a modal holding a field, a link, a disabled and a hidden button. */
function Page({ onClose, initialFocus }: { onClose?: () => void; initialFocus?: string }) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <button type="button" onClick={() => setOpen(true)}>
        Open
      </button>
      {open && (
        <Modal
          initialFocus={initialFocus}
          onClose={() => {
            onClose?.();
            setOpen(false);
          }}
        />
      )}
    </>
  );
}

function Modal({ onClose, initialFocus }: { onClose: () => void; initialFocus?: string }) {
  const { ref, onKeyDown } = useModalDialog(onClose, { initialFocus });
  return (
    <dialog ref={ref} aria-label="Modal" onKeyDown={onKeyDown}>
      <button type="button" onClick={onClose}>
        Close
      </button>
      <input aria-label="Name" />
      <input
        aria-label="Search"
        onKeyDown={(event) => {
          // As a search box does: its Escape is its own.
          if (event.key === 'Escape') event.preventDefault();
        }}
      />
      <a href="/somewhere">Link</a>
      <button type="button" disabled>
        Off
      </button>
      <button type="button" hidden>
        Hidden
      </button>
    </dialog>
  );
}

/** Presses Tab (or Shift+Tab) where focus is; returns whether the hook took the key. */
const tab = (shiftKey = false) => !fireEvent.keyDown(document.activeElement!, { key: 'Tab', shiftKey });

describe(useModalDialog.name, () => {
  it('should move focus in on opening: to the first button, or to what initialFocus names', () => {
    const { unmount } = render(<Page />);
    fireEvent.click(screen.getByRole('button', { name: 'Open' }));
    expect(screen.getByRole('dialog', { name: 'Modal' }).hasAttribute('open')).toBe(true);
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Close' }));
    unmount();

    render(<Page initialFocus="input, textarea, select" />);
    fireEvent.click(screen.getByRole('button', { name: 'Open' }));
    expect(document.activeElement).toBe(screen.getByLabelText('Name'));
  });

  it('should keep Tab inside: from the last control to the first, and Shift+Tab back round', () => {
    render(<Page />);
    fireEvent.click(screen.getByRole('button', { name: 'Open' }));
    const close = screen.getByRole('button', { name: 'Close' });
    // The link is the last control Tab can reach: the buttons after it are disabled and hidden.
    const link = screen.getByRole('link', { name: 'Link' });
    link.focus();
    expect(tab()).toBe(true);
    expect(document.activeElement).toBe(close);
    expect(tab(true)).toBe(true);
    expect(document.activeElement).toBe(link);
    // In between, Tab is the browser's own.
    screen.getByLabelText('Name').focus();
    expect(tab()).toBe(false);
    expect(document.activeElement).toBe(screen.getByLabelText('Name'));
  });

  it('should close on Escape once, not for an Escape a control inside used, and give focus back to the opener', () => {
    const onClose = jest.fn();
    const onPageKey = jest.fn();
    render(
      <div onKeyDown={onPageKey}>
        <Page onClose={onClose} />
      </div>,
    );
    const opener = screen.getByRole('button', { name: 'Open' });
    opener.focus();
    fireEvent.click(opener);
    expect(document.activeElement).not.toBe(opener);

    fireEvent.keyDown(screen.getByLabelText('Search'), { key: 'Escape' });
    expect(onClose).not.toHaveBeenCalled();
    expect(screen.getByRole('dialog', { name: 'Modal' })).toBeTruthy();

    fireEvent.keyDown(screen.getByLabelText('Name'), { key: 'Escape' });
    expect(onClose).toHaveBeenCalledTimes(1);
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(document.activeElement).toBe(opener);
    // The page beneath never saw the modal's Escapes.
    expect(onPageKey).not.toHaveBeenCalled();
  });
});
