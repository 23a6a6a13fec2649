import type { ReactNode } from 'react';
import type { Highlight } from '@chat/contracts';

/**
 * `text` with the `highlights` ranges as <mark> elements, built as React elements from the
 * ranges: the text is never parsed as markup, so a message saying `<img onerror=…>` stays words.
 * Ranges out of order, overlapping or out of bounds are skipped rather than trusted.
 */
export function HighlightedText({ text, highlights }: { text: string; highlights: readonly Highlight[] }) {
  const parts: ReactNode[] = [];
  let at = 0;
  for (const [from, to] of highlights) {
    if (from < at || to <= from || to > text.length) continue;
    if (from > at) parts.push(text.slice(at, from));
    parts.push(<mark key={from}>{text.slice(from, to)}</mark>);
    at = to;
  }
  if (at < text.length) parts.push(text.slice(at));
  return <>{parts}</>;
}
