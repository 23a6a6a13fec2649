import { useState, type ClipboardEvent, type DragEvent } from 'react';

/**
 * Files dropped on the composer (or a zone around it, as the thread panel), or pasted into its
 * field (a screenshot from the clipboard), go to `onFiles`; without it, drops and pastes are left
 * to the browser (text pastes as text).
 */
export function useFileDrop(onFiles: ((files: File[]) => void) | undefined) {
  const [over, setOver] = useState(false);
  const carriesFiles = (event: DragEvent) => event.dataTransfer.types.includes('Files');
  return {
    /** A file is being dragged over the composer. */
    over,
    handlers: onFiles
      ? {
          onDragOver: (event: DragEvent) => {
            if (!carriesFiles(event)) return;
            event.preventDefault();
            setOver(true);
          },
          onDragLeave: () => setOver(false),
          onDrop: (event: DragEvent) => {
            setOver(false);
            // Taken by a zone inside this one already (the composer, inside the thread panel).
            if (event.defaultPrevented || event.dataTransfer.files.length === 0) return;
            event.preventDefault();
            onFiles([...event.dataTransfer.files]);
          },
        }
      : {},
    onPaste: (event: ClipboardEvent) => {
      const files = [...event.clipboardData.files];
      if (!onFiles || files.length === 0) return;
      event.preventDefault();
      onFiles(files.map(named));
    },
  };
}

/** A pasted screenshot is often called "image.png" by every browser: give it a time instead. */
function named(file: File): File {
  if (file.name !== 'image.png' && file.name !== '') return file;
  const stamp = new Date().toISOString().slice(0, 19).replace('T', ' ').replace(/:/g, '.');
  const extension = file.type.split('/')[1] ?? 'png';
  return new File([file], `Pasted ${stamp}.${extension}`, { type: file.type });
}
