import type { ErrorPayload } from '@chat/contracts';
import { displayText } from '../../lib/text/bidi.js';
import { humanError, type FixAction } from './error-text.js';

interface ToastsProps {
  /** A slash command's private answer. */
  info: string | null;
  onDismissInfo: () => void;
  /** The latest error not tied to a message, and what it is (for its wording). */
  notice: string | null;
  noticeError: ErrorPayload | null;
  onDismissNotice: () => void;
  onFix: (action: FixAction) => void;
}

const FIX_LABEL: Record<FixAction, string> = { reload: 'Reload', 'sign-in': 'Sign in again' };

/**
 * The one place for passing notices, in a corner over the conversation (never pushing it down):
 * a command's answer (status) and the latest error (alert), each with the action that fixes it.
 * Both regions are always in the page, so screen readers hear what is put in them.
 */
export function Toasts({ info, onDismissInfo, notice, noticeError, onDismissNotice, onFix }: ToastsProps) {
  const human = noticeError ? humanError(noticeError) : null;
  const fix = human?.action;
  return (
    <div className="toasts">
      <div role="status" className="toasts__region">
        {info && (
          <div className="toast toast--info">
            <p className="toast__text" dir="auto">
              {displayText(info)}
            </p>
            <div className="toast__actions">
              <button type="button" className="button--quiet" onClick={onDismissInfo}>
                Dismiss
              </button>
            </div>
          </div>
        )}
      </div>
      <div role="alert" className="toasts__region">
        {notice && (
          <div className="toast toast--error">
            {human && <p className="toast__title">{human.title}</p>}
            <p className="toast__text" dir="auto">
              {displayText(notice)}
            </p>
            {human && <p className="toast__hint">{human.hint}</p>}
            <div className="toast__actions">
              {fix && (
                <button type="button" onClick={() => onFix(fix)}>
                  {FIX_LABEL[fix]}
                </button>
              )}
              <button type="button" className="button--quiet" onClick={onDismissNotice}>
                Dismiss
              </button>
            </div>
          </div>
        )}
      </div>
    </div>
  );
}
