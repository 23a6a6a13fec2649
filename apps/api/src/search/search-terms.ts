import { SEARCH_MAX_TERMS } from '@chat/contracts';
import { BadRequestError } from '../common/errors/chat-errors.js';
import type { SearchTerm } from '../storage/message-search.js';

export type { SearchTerm };

/**
 * What a word is, for the query and for the highlights: a run of letters and digits, as SQLite's
 * unicode61 tokenizer splits text and as the PostgreSQL index's expression does (migration 9).
 */
export const WORD = /[\p{L}\p{N}]+/gu;

/**
 * The shortest prefix searched for. The engines merge the postings of every word with the
 * prefix: `w1*` took 270 ms on 200,000 messages (SQLite), `w1a*` 25 ms; FTS5's prefix index
 * would make short ones fast but costs 100 µs more per message sent (docs/performance.md).
 */
const MIN_PREFIX = 3;

/**
 * Reads `q` as the search box's language: words (all must match), "quoted phrases", -word or
 * -"phrase" to leave out, word* for a prefix. Punctuation inside a bare word joins its parts into
 * a phrase (`e-mail` is `"e mail"`), as both engines' tokenizers split it. Throws BadRequestError
 * with the reason for a query that cannot mean anything; never lets syntax through.
 */
export function parseSearchTerms(q: string): SearchTerm[] {
  const terms: SearchTerm[] = [];
  let index = 0;
  while (index < q.length) {
    while (index < q.length && /\s/u.test(q[index]!)) index++;
    if (index >= q.length) break;
    let negated = false;
    if (q[index] === '-') {
      negated = true;
      index++;
    }
    let chunk: string;
    if (q[index] === '"') {
      const close = q.indexOf('"', index + 1);
      if (close === -1) throw new BadRequestError('q: a quote (") is not closed');
      chunk = q.slice(index + 1, close);
      index = close + 1;
      if (q[index] === '*') {
        chunk += '*';
        index++;
      }
    } else {
      const start = index;
      while (index < q.length && !/\s/u.test(q[index]!) && q[index] !== '"') index++;
      chunk = q.slice(start, index);
    }
    const words = chunk.toLowerCase().match(WORD) ?? [];
    if (words.length === 0) continue;
    const prefix = /[\p{L}\p{N}]\*$/u.test(chunk);
    if (prefix && words.at(-1)!.length < MIN_PREFIX) {
      throw new BadRequestError(`q: a prefix needs at least ${MIN_PREFIX} letters before the * ("abc*")`);
    }
    terms.push({ words, prefix, negated });
  }
  if (terms.length === 0)
    throw new BadRequestError('q: nothing to search for (words are letters and digits)');
  if (terms.length > SEARCH_MAX_TERMS) {
    throw new BadRequestError(`q: at most ${SEARCH_MAX_TERMS} words or phrases`);
  }
  if (terms.every((term) => term.negated)) {
    throw new BadRequestError('q: say what to find, not only what to leave out');
  }
  return terms;
}
