import { useState } from 'react';
import type { Attachment } from '@chat/contracts';
import { formatSize } from './format-size.js';
import { Lightbox } from './Lightbox.js';

/** A message's files: images as thumbnails that open a lightbox, the rest as download cards. */
export function MessageAttachments({ attachments }: { attachments: readonly Attachment[] }) {
  const [open, setOpen] = useState<Attachment | null>(null);
  return (
    <div className="attachments">
      {attachments.map((file) =>
        file.thumbnailUrl ? (
          <button
            key={file.id}
            type="button"
            className="attachment attachment--image"
            aria-label={`Open image ${file.name}`}
            onClick={() => setOpen(file)}
          >
            <img
              src={file.thumbnailUrl}
              alt={file.name}
              loading="lazy"
              {...(file.width && file.height && thumbnailBox(file.width, file.height))}
            />
          </button>
        ) : (
          <a key={file.id} className="attachment attachment--file" href={file.url} download={file.name}>
            {/* Heard as "Download notes.txt 20 B · Text"; seen as the name over its size. */}
            <span className="attachment__name">
              <span className="visually-hidden">Download </span>
              {file.name}
            </span>
            <span className="attachment__meta">
              {formatSize(file.size)} · {kindOf(file.type)}
            </span>
          </a>
        ),
      )}
      {open && <Lightbox image={open} onClose={() => setOpen(null)} />}
    </div>
  );
}

/** The thumbnail's size before it loads (320 px at most), so the list does not jump. */
function thumbnailBox(width: number, height: number): { width: number; height: number } {
  const scale = Math.min(1, 320 / Math.max(width, height));
  return { width: Math.round(width * scale), height: Math.round(height * scale) };
}

function kindOf(type: string): string {
  if (type === 'application/pdf') return 'PDF';
  if (type === 'application/zip') return 'ZIP archive';
  if (type === 'text/plain') return 'Text';
  return type.replace(/^image\//, '').toUpperCase();
}
