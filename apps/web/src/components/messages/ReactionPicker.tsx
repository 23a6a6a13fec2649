import { useEffect, useRef, type KeyboardEvent } from 'react';
import { emojiName, FREQUENT_EMOJI } from './emoji.js';

interface ReactionPickerProps {
  /** The emoji you already put on the message (picked again, they are taken back). */
  mine: ReadonlySet<string>;
  onPick: (emoji: string, on: boolean) => void;
  onClose: () => void;
}

/**
 * A small grid of frequent emoji. Opens with focus on the first; arrow keys move, Enter or a
 * click picks, Escape closes (the opener gets focus back: see MessageToolbar).
 */
export function ReactionPicker({ mine, onPick, onClose }: ReactionPickerProps) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    ref.current?.querySelector<HTMLButtonElement>('button')?.focus();
  }, []);
  const onKeyDown = (event: KeyboardEvent) => {
    const buttons = [...(ref.current?.querySelectorAll<HTMLButtonElement>('button') ?? [])];
    const index = buttons.indexOf(document.activeElement as HTMLButtonElement);
    const step = { ArrowRight: 1, ArrowDown: 5, ArrowLeft: -1, ArrowUp: -5 }[event.key];
    if (event.key === 'Escape') {
      event.preventDefault();
      event.stopPropagation();
      onClose();
    } else if (step !== undefined && index !== -1) {
      event.preventDefault();
      event.stopPropagation();
      buttons[(index + step + buttons.length) % buttons.length]?.focus();
    }
  };
  return (
    <div
      className="reaction-picker"
      role="group"
      aria-label="Pick a reaction"
      ref={ref}
      onKeyDown={onKeyDown}
    >
      {FREQUENT_EMOJI.map(({ emoji, name }) => (
        <button
          key={emoji}
          type="button"
          className="reaction-picker__emoji"
          aria-label={mine.has(emoji) ? `Take back ${name}` : `React with ${name}`}
          aria-pressed={mine.has(emoji)}
          title={emojiName(emoji)}
          onClick={() => onPick(emoji, !mine.has(emoji))}
        >
          {emoji}
        </button>
      ))}
    </div>
  );
}
