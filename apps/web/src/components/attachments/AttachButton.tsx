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
        📎
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
