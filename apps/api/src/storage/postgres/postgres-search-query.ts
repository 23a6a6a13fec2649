import type { SearchTerm } from '../message-search.js';

/** The to_tsquery('simple', ...) text: every lexeme quoted, phrases with <->, prefixes with :*. */
export function toTsquery(terms: readonly SearchTerm[]): string {
  const phrase = (term: SearchTerm): string => {
    const lexemes = term.words.map(
      (word, at) => `'${word}'${term.prefix && at === term.words.length - 1 ? ':*' : ''}`,
    );
    const joined = lexemes.length === 1 ? lexemes[0]! : `(${lexemes.join(' <-> ')})`;
    return term.negated ? `!${joined}` : joined;
  };
  return terms.map(phrase).join(' & ');
}
