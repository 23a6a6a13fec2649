import { describe, expect, it } from '@jest/globals';
import { BadRequestError } from '../common/errors/chat-errors.js';
import { toTsquery } from '../storage/postgres/postgres-search-query.js';
import { toFts5Match } from '../storage/sqlite/sqlite-search-match.js';
import { parseSearchTerms } from './search-terms.js';

describe(parseSearchTerms.name, () => {
  it('should read words, phrases, prefixes and negations, lowercased', () => {
    expect(parseSearchTerms('Hello "Big World"* -spam e-mail')).toEqual([
      { words: ['hello'], prefix: false, negated: false },
      { words: ['big', 'world'], prefix: true, negated: false },
      { words: ['spam'], prefix: false, negated: true },
      { words: ['e', 'mail'], prefix: false, negated: false },
    ]);
  });

  it('should drop punctuation and operators, so no engine syntax gets through', () => {
    const terms = parseSearchTerms(`NEAR(a b) OR "x" AND '); DROP -- */ \\`);
    expect(terms.flatMap((term) => term.words)).toEqual(['near', 'a', 'b', 'or', 'x', 'and', 'drop']);
    expect(toFts5Match(terms)).toBe('("near a" AND "b" AND "or" AND "x" AND "and" AND "drop")');
    expect(toTsquery(parseSearchTerms('abc* -c "d e"'))).toBe("'abc':* & !'c' & ('d' <-> 'e')");
    expect(toFts5Match(parseSearchTerms('abc* -c "d e"'))).toBe('("abc"* AND "d e") NOT "c"');
  });

  it.each([
    ['"open', /quote/],
    ['-a -b', /not only/],
    ['?!', /nothing/],
    ['xy*', /prefix/],
    [Array.from({ length: 17 }, (_, i) => `w${i}`).join(' '), /at most/],
  ])('should refuse %j with the reason', (q, reason) => {
    expect(() => parseSearchTerms(q)).toThrow(BadRequestError);
    expect(() => parseSearchTerms(q)).toThrow(reason);
  });
});
