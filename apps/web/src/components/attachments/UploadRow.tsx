import type { UploadItem } from './useAttachmentUploads.js';
import { formatSize } from './format-size.js';

interface UploadRowProps {
  item: UploadItem;
  onCancel?: (key: string) => void;
  onRetry: (key: string) => void;
}

/** One file on its way: name, size, a progress bar while it uploads, and what can be done. */
export function UploadRow({ item, onCancel, onRetry }: UploadRowProps) {
  const name = item.file.name;
  return (
    <li className={`upload upload--${item.status}`}>
      <span className="upload__name">{name}</span>{' '}
      <span className="upload__size">{formatSize(item.file.size)}</span>
      {item.status === 'uploading' && (
        <progress
          className="upload__progress"
          max={1}
          value={item.progress}
          aria-label={`Uploading ${name}`}
        />
      )}
      {item.status === 'waiting' && <span className="upload__state">Waiting for the network…</span>}
      {item.status === 'done' && <span className="upload__state">Ready</span>}
      {item.status === 'failed' && (
        <span className="upload__state upload__state--failed" role="alert">
          Not uploaded: {item.error}{' '}
          {item.retryable && (
            <button
              type="button"
              className="link-button"
              onClick={() => onRetry(item.key)}
              aria-label={`Retry ${name}`}
            >
              Retry
            </button>
          )}
        </span>
      )}
      {onCancel && (
        <button
          type="button"
          className="link-button"
          onClick={() => onCancel(item.key)}
          aria-label={item.status === 'uploading' ? `Cancel upload of ${name}` : `Remove ${name}`}
        >
          {item.status === 'uploading' ? 'Cancel' : 'Remove'}
        </button>
      )}
    </li>
  );
}
