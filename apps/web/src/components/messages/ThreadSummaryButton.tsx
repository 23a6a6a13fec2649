import type { ThreadSummary } from '@chat/contracts';
import { formatClock, formatFullTime } from '../../lib/time/format.js';
import { useMessageTabIndex } from './ConversationContext.js';

/** Under a thread's root: "3 replies", when the last one came, and the way into the thread. */
export function ThreadSummaryButton({ summary, onOpen }: { summary: ThreadSummary; onOpen: () => void }) {
  const tabIndex = useMessageTabIndex();
  const { replyCount, lastReplyAt } = summary;
  return (
    <button type="button" className="thread-summary link-button" tabIndex={tabIndex} onClick={onOpen}>
      {replyCount === 1 ? '1 reply' : `${replyCount} replies`}
      {lastReplyAt && (
        <span className="thread-summary__last" title={formatFullTime(lastReplyAt)}>
          {' '}
          · last {formatClock(lastReplyAt)}
        </span>
      )}
    </button>
  );
}
