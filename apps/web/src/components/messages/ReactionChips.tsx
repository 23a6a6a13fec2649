import type { ReactionSummary } from '@chat/contracts';
import { emojiName } from './emoji.js';
import { useMessageTabIndex } from './ConversationContext.js';

interface ReactionChipsProps {
  reactions: ReactionSummary[];
  /** Toggles your reaction; absent when you may not react (muted). */
  onToggle?: (emoji: string, on: boolean) => void;
}

/** Each emoji on a message with its count; yours is pressed, and a click takes it back or adds it. */
export function ReactionChips({ reactions, onToggle }: ReactionChipsProps) {
  const tabIndex = useMessageTabIndex();
  if (reactions.length === 0) return null;
  return (
    <ul className="reactions" aria-label="Reactions">
      {reactions.map((r) => {
        const label = `${emojiName(r.emoji)}: ${r.count}${r.me ? ', including you' : ''}`;
        return (
          <li key={r.emoji}>
            <button
              type="button"
              className={r.me ? 'reaction reaction--mine' : 'reaction'}
              tabIndex={tabIndex}
              aria-pressed={r.me}
              aria-label={label}
              title={label}
              disabled={!onToggle}
              onClick={() => onToggle?.(r.emoji, !r.me)}
            >
              <span aria-hidden="true">{r.emoji}</span>
              <span className="reaction__count" aria-hidden="true">
                {r.count}
              </span>
            </button>
          </li>
        );
      })}
    </ul>
  );
}
