import type { AttachmentUploads } from './useAttachmentUploads.js';
import { UploadRow } from './UploadRow.js';

/** Under the composer: the files of the message being written, and messages waiting for theirs. */
export function AttachmentTray({ uploads }: { uploads: AttachmentUploads }) {
  if (uploads.items.length === 0 && uploads.waiting.length === 0) return null;
  return (
    <div className="attachment-tray">
      {uploads.items.length > 0 && (
        <ul className="attachment-tray__list" aria-label="Files to send">
          {uploads.items.map((item) => (
            <UploadRow key={item.key} item={item} onCancel={uploads.cancel} onRetry={uploads.retry} />
          ))}
        </ul>
      )}
      {uploads.waiting.map((send) => (
        <div key={send.key} className="attachment-tray__waiting" role="status">
          <span>
            Sends when its {send.items.length === 1 ? 'file is' : `${send.items.length} files are`} uploaded
            {send.text ? `: “${send.text.slice(0, 60)}”` : ''}
          </span>{' '}
          <button type="button" className="link-button" onClick={() => uploads.discard(send.key)}>
            Discard
          </button>
          <ul className="attachment-tray__list" aria-label="Files of a message waiting to be sent">
            {send.items.map((item) => (
              <UploadRow key={item.key} item={item} onRetry={uploads.retry} />
            ))}
          </ul>
        </div>
      ))}
    </div>
  );
}
