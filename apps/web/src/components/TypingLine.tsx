import type { TypingUser } from '@chat/client';
import { isolatedText } from '../lib/text/bidi.js';

/** "Alice is typing…", "Alice and Bob are typing…", "Several people are typing…". */
export function typingText(typing: TypingUser[]): string {
  const names = typing.map((t) => isolatedText(t.user.name));
  if (names.length === 0) return '';
  if (names.length === 1) return `${names[0]} is typing…`;
  if (names.length === 2) return `${names[0]} and ${names[1]} are typing…`;
  return 'Several people are typing…';
}

export function TypingLine({ typing }: { typing: TypingUser[] }) {
  return (
    <span className="typing" aria-live="polite">
      {typingText(typing)}
    </span>
  );
}
