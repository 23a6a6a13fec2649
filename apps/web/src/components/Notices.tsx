import type { UseChatResult } from '../chat/useChat.js';
import { displayText } from '../lib/text/bidi.js';
import type { useNotifications } from '../notifications/useNotifications.js';
import { NotificationPrompt } from './NotificationPrompt.js';

interface NoticesProps {
  chat: UseChatResult;
  notifications: ReturnType<typeof useNotifications>;
}

/** Above the conversation: the notifications offer, a slash command's answer, the latest error. */
export function Notices({ chat, notifications }: NoticesProps) {
  return (
    <>
      {notifications.offer && (
        <NotificationPrompt onEnable={notifications.enable} onDismiss={notifications.dismiss} />
      )}
      {chat.info && (
        <div className="info" role="status">
          <span className="info__text" dir="auto">
            {displayText(chat.info)}
          </span>
          <button type="button" className="link-button" onClick={chat.dismissInfo}>
            Dismiss
          </button>
        </div>
      )}
      {chat.notice && (
        <div className="notice" role="alert">
          <span dir="auto">{displayText(chat.notice)}</span>
          <button type="button" className="link-button" onClick={chat.dismissNotice}>
            Dismiss
          </button>
        </div>
      )}
    </>
  );
}
