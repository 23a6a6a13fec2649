import type { SearchTerm } from '../message-search.js';

/** The FTS5 MATCH expression: every word a quoted string (no operator can hide in it). */
export function toFts5Match(terms: readonly SearchTerm[]): string {
  const phrase = (term: SearchTerm): string => `"${term.words.join(' ')}"${term.prefix ? '*' : ''}`;
  const wanted = terms.filter((term) => !term.negated).map(phrase);
  const unwanted = terms.filter((term) => term.negated).map(phrase);
  return [`(${wanted.join(' AND ')})`, ...unwanted].join(' NOT ');
}
