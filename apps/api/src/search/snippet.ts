import type { Highlight } from '@chat/contracts';
import { WORD, type SearchTerm } from './search-terms.js';

/** Characters of text a snippet shows: about two lines of the results list. */
export const SNIPPET_CHARACTERS = 160;
/** How much of the text before the first match the snippet keeps, for context. */
const LEAD = 40;
const ELLIPSIS = '…';

export interface Snippet {
  snippet: string;
  highlights: Highlight[];
}

/**
 * The part of `text` around its first match, as plain text, with the ranges of every matched
 * word in it. Computed here rather than by the engine (FTS5 snippet(), ts_headline) so that both
 * stores answer the same, and so that no markup ever travels: the client builds <mark> elements
 * from the ranges. A word matches when it equals a searched word (or starts with a prefix);
 * case does not count, as in the index. Whitespace (newlines) shows as spaces.
 */
export function buildSnippet(text: string, terms: readonly SearchTerm[]): Snippet {
  const wanted = terms.filter((term) => !term.negated);
  const exact = new Set(wanted.flatMap((term) => (term.prefix ? term.words.slice(0, -1) : term.words)));
  const prefixes = wanted.filter((term) => term.prefix).map((term) => term.words.at(-1)!);
  const matches: Highlight[] = [];
  for (const found of text.matchAll(WORD)) {
    const word = found[0].toLowerCase();
    if (exact.has(word) || prefixes.some((prefix) => word.startsWith(prefix))) {
      matches.push([found.index, found.index + found[0].length]);
    }
  }
  const first = matches[0]?.[0] ?? 0;
  let start = first <= LEAD ? 0 : boundaryBefore(text, first - LEAD);
  if (text.length - start < SNIPPET_CHARACTERS)
    start = boundaryBefore(text, Math.max(0, text.length - SNIPPET_CHARACTERS));
  start = Math.min(start, first);
  const end = safeCut(text, Math.min(text.length, start + SNIPPET_CHARACTERS));
  const head = start > 0 ? ELLIPSIS : '';
  const tail = end < text.length ? ELLIPSIS : '';
  const shift = head.length - start;
  return {
    snippet: head + text.slice(start, end).replace(/\s/gu, ' ') + tail,
    highlights: matches
      .filter(([from, to]) => from >= start && to <= end)
      .map(([from, to]): Highlight => [from + shift, to + shift]),
  };
}

/** The start of the word at `at` (so a snippet does not open mid-word), within a few characters. */
function boundaryBefore(text: string, at: number): number {
  const floor = Math.max(0, at - 15);
  let index = at;
  while (index > floor && !/\s/u.test(text[index - 1]!)) index--;
  return index === floor && floor > 0 ? safeCut(text, at) : index;
}

/** `at`, moved off the middle of a surrogate pair (an emoji cut in half is not text). */
function safeCut(text: string, at: number): number {
  const code = text.charCodeAt(at);
  return code >= 0xdc00 && code <= 0xdfff && at > 0 ? at - 1 : at;
}
