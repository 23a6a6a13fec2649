import type { ReplyPreview } from '@chat/contracts';
import { displayText } from '../../lib/text/bidi.js';
import { UserName } from '../UserName.js';
import { useMessageTabIndex } from './ConversationContext.js';

/** The message a reply answers, quoted; a click (or Enter) jumps to it. */
export function ReplyQuote({ quote, onJump }: { quote: ReplyPreview; onJump: (id: string) => void }) {
  const tabIndex = useMessageTabIndex();
  return (
    <button type="button" className="reply-quote" tabIndex={tabIndex} onClick={() => onJump(quote.id)}>
      <span className="visually-hidden">In reply to </span>
      <span aria-hidden="true" className="reply-quote__mark">
        ↪
      </span>
      <UserName user={quote.user} />
      <span className="reply-quote__text" dir="auto">
        {quote.deleted ? 'This message was deleted' : displayText(quote.text)}
      </span>
      <span className="visually-hidden">. Show the original.</span>
    </button>
  );
}
