import { BadRequestError } from '../common/errors/chat-errors.js';

/** Where the next page of one search starts, and the time its ages are measured from. */
export interface SearchCursor {
  offset: number;
  now: string;
}

/** How deep a search pages: past this many results, a narrower search is the better question. */
export const SEARCH_MAX_DEPTH = 1000;

/**
 * Opaque to clients (base64url JSON). The age reference travels with it so that every page of a
 * search ranks alike: ranking by age against a moving "now" would reshuffle the pages.
 */
export function encodeCursor(cursor: SearchCursor): string {
  return Buffer.from(JSON.stringify({ o: cursor.offset, t: cursor.now })).toString('base64url');
}

export function decodeCursor(text: string): SearchCursor {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    parsed = undefined;
  }
  const { o, t } = (parsed ?? {}) as { o?: unknown; t?: unknown };
  if (
    typeof o !== 'number' ||
    !Number.isInteger(o) ||
    o < 0 ||
    o > SEARCH_MAX_DEPTH ||
    typeof t !== 'string' ||
    Number.isNaN(Date.parse(t))
  ) {
    throw new BadRequestError('cursor: not one this server gave (search again without it)');
  }
  return { offset: o, now: new Date(t).toISOString() };
}
