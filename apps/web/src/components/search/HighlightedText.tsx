import type { ReactNode } from 'react';
import type { Highlight } from '@chat/contracts';
import { displayText } from '../../lib/text/bidi.js';

/**
 * `text` with the `highlights` ranges as <mark> elements, built as React elements from the
 * ranges: the text is never parsed as markup, so a message saying `<img onerror=…>` stays words.
 * Ranges out of order, overlapping or out of bounds are skipped rather than trusted. Each piece
 * loses its bidi controls (as message text does), after the cut, so the ranges still fit; the
 * whole is isolated so that it cannot reorder what stands around it.
 */
export function HighlightedText({ text, highlights }: { text: string; highlights: readonly Highlight[] }) {
  const parts: ReactNode[] = [];
  let at = 0;
  for (const [from, to] of highlights) {
    if (from < at || to <= from || to > text.length) continue;
    if (from > at) parts.push(displayText(text.slice(at, from)));
    parts.push(<mark key={from}>{displayText(text.slice(from, to))}</mark>);
    at = to;
  }
  if (at < text.length) parts.push(displayText(text.slice(at)));
  return <bdi>{parts}</bdi>;
}
