import { describe, expect, it } from '@jest/globals';
import { render } from '@testing-library/react';
import { MessageText } from './MessageText.js';

describe(MessageText.name, () => {
  it('should render links as anchors that open safely, and everything else as text', () => {
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
});
