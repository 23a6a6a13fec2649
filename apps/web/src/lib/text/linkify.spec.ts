import { describe, expect, it } from '@jest/globals';
import { tokenize, type TextToken } from './linkify.js';

const links = (tokens: TextToken[]) => tokens.filter((t) => t.type === 'link').map((t) => t.href);
const joined = (tokens: TextToken[]) => tokens.map((t) => t.text).join('');

describe(tokenize.name, () => {
  it('should keep plain text as one text token', () => {
    expect(tokenize('just words, no links')).toEqual([{ type: 'text', text: 'just words, no links' }]);
  });

  it('should turn http, https and mailto into links between text tokens', () => {
    const tokens = tokenize('see https://example.com/a?b=1#c or http://x.org, or mailto:me@example.com');
    expect(tokens).toEqual([
      { type: 'text', text: 'see ' },
      { type: 'link', text: 'https://example.com/a?b=1#c', href: 'https://example.com/a?b=1#c' },
      { type: 'text', text: ' or ' },
      { type: 'link', text: 'http://x.org', href: 'http://x.org/' },
      { type: 'text', text: ', or ' },
      { type: 'link', text: 'mailto:me@example.com', href: 'mailto:me@example.com' },
    ]);
  });

  it.each([
    'javascript:alert(1)',
    'JaVaScRiPt:alert(document.cookie)',
    'data:text/html,<script>alert(1)</script>',
    'vbscript:msgbox(1)',
    'file:///etc/passwd',
    'https://',
    'http://[not-a-host',
    'mailto:nobody',
  ])('should leave %j as text', (text) => {
    expect(tokenize(text)).toEqual([{ type: 'text', text }]);
  });

  it('should not link the tail of another scheme', () => {
    expect(links(tokenize('javascript:http://example.com'))).toEqual([]);
    expect(links(tokenize('xhttps://example.com'))).toEqual([]);
  });

  it('should leave sentence punctuation out of the link, but keep balanced parentheses', () => {
    expect(links(tokenize('Read https://example.com/docs.'))).toEqual(['https://example.com/docs']);
    expect(links(tokenize('(see https://example.com/x)'))).toEqual(['https://example.com/x']);
    expect(links(tokenize('https://en.wikipedia.org/wiki/Foo_(bar)!'))).toEqual([
      'https://en.wikipedia.org/wiki/Foo_(bar)',
    ]);
  });

  it('should stop a link at quotes and angle brackets', () => {
    expect(links(tokenize('<https://example.com/a>"https://example.com/b"'))).toEqual([
      'https://example.com/a',
      'https://example.com/b',
    ]);
  });

  it('should give back the input exactly when the tokens are joined', () => {
    for (const text of ['a https://x.io/ b', 'javascript:x http://y.io). ', '', '  mailto:a@b.c  ']) {
      expect(joined(tokenize(text))).toBe(text);
    }
  });
});
