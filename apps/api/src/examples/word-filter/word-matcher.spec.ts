import { describe, expect, it } from '@jest/globals';
import { wordMatcher } from './word-matcher.js';

describe(wordMatcher.name, () => {
  const sut = wordMatcher(['spam', 'Über', 'a.b']);

  it('should find whole words in any case and name them as configured', () => {
    expect(sut('Buy SPAM!')).toBe('spam');
    expect(sut('über alles')).toBe('Über');
    expect(sut('(a.b)')).toBe('a.b');
  });

  it('should not match inside a word, in any script, nor treat a word as a pattern', () => {
    expect(sut('spammer')).toBeUndefined();
    expect(sut('Überall')).toBeUndefined();
    expect(sut('axb')).toBeUndefined();
  });

  it('should match nothing without words', () => {
    expect(wordMatcher([])('spam')).toBeUndefined();
  });
});
