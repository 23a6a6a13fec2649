import type { ChatMessage } from '@chat/contracts';
import { displayText } from '../lib/text/bidi.js';
import { UserName } from './UserName.js';

/** Above the composer while writing a reply: whom it answers, and a way out (also Escape). */
export function ReplyingTo({ message, onCancel }: { message: ChatMessage; onCancel: () => void }) {
  return (
    <div className="replying-to" role="status">
      <span className="replying-to__what">
        Replying to <UserName user={message.user} />
        <span className="replying-to__text" dir="auto">
          {displayText(message.text)}
        </span>
      </span>
      <button type="button" className="link-button" onClick={onCancel}>
        Cancel reply
      </button>
    </div>
  );
}
