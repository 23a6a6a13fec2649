/** A run of message text: plain text, or a link that is safe to make clickable. */
export type TextToken = { type: 'text'; text: string } | { type: 'link'; text: string; href: string };

/** Only these schemes become links; everything else (javascript:, data:, file:, …) stays text. */
const SAFE_PROTOCOLS = new Set(['http:', 'https:', 'mailto:']);

/**
 * Candidates: http(s) URLs and mailto: addresses that start a word. The scheme must be the start
 * of a word, so "xhttp://" or "javascript:http://" never turn their tail into a link by accident.
 */
const CANDIDATE = /(?<![\w.+\-:/])(?:https?:\/\/[^\s<>"]+|mailto:[^\s<>"]+@[^\s<>"]+)/gi;

/** Punctuation that usually ends the sentence around a URL rather than the URL itself. */
const TRAILING = /[.,;:!?'"’”)\]}>]$/;

/**
 * Splits message text into text and link tokens, for rendering as React elements (never as
 * HTML). Concatenating every token's `text` gives back the input exactly.
 */
export function tokenize(input: string): TextToken[] {
  const tokens: TextToken[] = [];
  let textStart = 0;
  for (const match of input.matchAll(CANDIDATE)) {
    const candidate = trimTrailing(match[0]);
    const href = safeHref(candidate);
    if (href === null) continue;
    const start = match.index;
    if (start > textStart) tokens.push({ type: 'text', text: input.slice(textStart, start) });
    tokens.push({ type: 'link', text: candidate, href });
    textStart = start + candidate.length;
  }
  if (textStart < input.length) tokens.push({ type: 'text', text: input.slice(textStart) });
  return mergeText(tokens);
}

/** Drops sentence punctuation after a URL; a ")" stays when the URL opened one ("…/Foo_(bar)"). */
function trimTrailing(candidate: string): string {
  let end = candidate;
  while (TRAILING.test(end)) {
    if (end.endsWith(')') && count(end, '(') >= count(end, ')')) break;
    end = end.slice(0, -1);
  }
  return end;
}

const count = (text: string, char: string) => text.split(char).length - 1;

/** The URL to link to, or null when the candidate does not parse as a safe, complete URL. */
function safeHref(candidate: string): string | null {
  let url: URL;
  try {
    url = new URL(candidate);
  } catch {
    return null;
  }
  if (!SAFE_PROTOCOLS.has(url.protocol)) return null;
  if (url.protocol !== 'mailto:' && url.hostname === '') return null;
  return url.href;
}

/** Neighbouring text tokens become one (a skipped candidate leaves its text next to other text). */
function mergeText(tokens: TextToken[]): TextToken[] {
  const merged: TextToken[] = [];
  for (const token of tokens) {
    const last = merged.at(-1);
    if (token.type === 'text' && last?.type === 'text') last.text += token.text;
    else merged.push(token);
  }
  return merged;
}
