import { describe, expect, it } from '@jest/globals';
import { render } from '@testing-library/react';
import { MessageText } from './MessageText.js';

describe('MessageText', () => {
  it('should render links as anchors that open safely, and raw HTML as text', () => {
    const text =
      '<b>bold?</b> https://example.com/x?a=1&b=2 javascript:alert(1) <a href="javascript:x">y</a>';
    const { container } = render(<MessageText text={text} />);
    expect(container.textContent).toBe(text);
    expect(container.querySelector('b')).toBeNull();
    const anchors = [...container.querySelectorAll('a')];
    expect(anchors.map((a) => [a.getAttribute('href'), a.target, a.rel])).toEqual([
      ['https://example.com/x?a=1&b=2', '_blank', 'noopener noreferrer'],
    ]);
  });

  it('should format bold, italics, code, code blocks and quotes, and link www. addresses', () => {
    const text = '**bold** _it_ `x < y` www.example.org\n\n```\nconst a = 1;\n```\n\n> quoted';
    const { container } = render(<MessageText text={text} />);
    expect(container.querySelector('strong')?.textContent).toBe('bold');
    expect(container.querySelector('em')?.textContent).toBe('it');
    expect(container.querySelector('p > code')?.textContent).toBe('x < y');
    expect(container.querySelector('pre > code')?.textContent).toBe('const a = 1;\n');
    expect(container.querySelector('blockquote')?.textContent?.trim()).toBe('quoted');
    expect(container.querySelector('a')?.getAttribute('href')).toBe('http://www.example.org');
  });

  it('should show an image as a link to it, and drop links to unsafe or relative places', () => {
    const text = '![cat](https://example.com/cat.png) [x](javascript:alert(1)) [y](/api/auth/logout)';
    const { container } = render(<MessageText text={text} />);
    expect(container.querySelector('img')).toBeNull();
    const anchors = [...container.querySelectorAll('a')];
    expect(anchors.map((a) => [a.textContent, a.getAttribute('href')])).toEqual([
      ['cat', 'https://example.com/cat.png'],
    ]);
    expect(container.textContent).toContain('x y');
  });

  it('should highlight mentions, the reader’s own more, and leave code alone', () => {
    const { container } = render(<MessageText text="hi @Ann and @bob, mail a@b.c `@ann`" me="ann" />);
    const mentions = [...container.querySelectorAll('.mention')].map((m) => [m.textContent, m.className]);
    expect(mentions).toEqual([
      ['@Ann', 'mention mention--me'],
      ['@bob', 'mention'],
    ]);
  });
});
