import { useRef } from 'react';

/** A button that opens the file picker (several files at once). */
export function AttachButton({
  onFiles,
  label = 'Attach files',
  disabled,
}: {
  onFiles: (files: File[]) => void;
  /** Its name for screen readers. */
  label?: string;
  disabled?: boolean;
}) {
  const input = useRef<HTMLInputElement>(null);
  return (
    <>
      <button
        type="button"
        className="composer__attach"
        aria-label={label}
        title="Attach files (or drop or paste them)"
        disabled={disabled}
        onClick={() => input.current?.click()}
      >
        {/* Drawn, not the 📎 emoji: a machine without an emoji font showed an empty button. */}
        <svg
          aria-hidden="true"
          width="18"
          height="18"
          viewBox="0 0 24 24"
          fill="none"
          stroke="currentColor"
          strokeWidth="2"
          strokeLinecap="round"
          strokeLinejoin="round"
        >
          <path d="M21 11.5 12.5 20a5 5 0 0 1-7-7L14 4.5a3.3 3.3 0 0 1 4.7 4.7l-8.5 8.5a1.7 1.7 0 0 1-2.4-2.4L15.5 7.6" />
        </svg>
      </button>
      <input
        ref={input}
        type="file"
        multiple
        hidden
        tabIndex={-1}
        aria-hidden="true"
        onChange={(event) => {
          onFiles([...(event.target.files ?? [])]);
          event.target.value = '';
        }}
      />
    </>
  );
}
