import { describe, expect, it } from '@jest/globals';
import { parseSearchTerms } from './search-terms.js';
import { buildSnippet, SNIPPET_CHARACTERS } from './snippet.js';

const marked = (text: string, q: string): string[] => {
  const { snippet, highlights } = buildSnippet(text, parseSearchTerms(q));
  return highlights.map(([from, to]) => snippet.slice(from, to));
};

describe(buildSnippet.name, () => {
  it('should mark every matched word, ignoring case, prefixes included', () => {
    expect(marked('Cats and cat-like CATS, catalogue', 'cat')).toEqual(['cat']);
    expect(marked('Cats and cat-like CATS, catalogue', 'cats')).toEqual(['Cats', 'CATS']);
    expect(marked('Cats and cat-like CATS, catalogue', 'cat*')).toEqual(['Cats', 'cat', 'CATS', 'catalogue']);
    expect(marked('nothing here', '-here nothing')).toEqual(['nothing']);
  });

  it('should cut a long text around the first match, with ellipses, never mid-emoji', () => {
    const text = `${'😀'.repeat(100)} needle ${'x '.repeat(200)}`;
    const { snippet, highlights } = buildSnippet(text, parseSearchTerms('needle'));
    expect(snippet.startsWith('…')).toBe(true);
    expect(snippet.endsWith('…')).toBe(true);
    expect(snippet.length).toBeLessThanOrEqual(SNIPPET_CHARACTERS + 2);
    expect(snippet).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/);
    expect(highlights.map(([from, to]) => snippet.slice(from, to))).toEqual(['needle']);
  });

  it('should keep a short text whole, newlines shown as spaces, markup as text', () => {
    expect(buildSnippet('<b>bold</b>\nline', parseSearchTerms('bold'))).toEqual({
      snippet: '<b>bold</b> line',
      highlights: [[3, 7]],
    });
  });
});
