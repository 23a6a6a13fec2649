import { describe, expect, it } from '@jest/globals';
import { displayText, isolatedText } from './bidi.js';

const CONTROLS = [
  '\u202A',
  '\u202B',
  '\u202C',
  '\u202D',
  '\u202E',
  '\u2066',
  '\u2067',
  '\u2068',
  '\u2069',
  '\u200E',
  '\u200F',
  '\u061C',
];

describe(displayText.name, () => {
  it('should remove a right-to-left override, so the name shows in the order it was written', () => {
    expect(displayText('evil\u202Egnp.exe')).toBe('evilgnp.exe');
  });

  it.each(CONTROLS.map((c) => [c.codePointAt(0)!.toString(16).toUpperCase(), c]))(
    'should remove U+%s',
    (_, control) => {
      expect(displayText(`a${control}b${control}${control}c`)).toBe('abc');
    },
  );

  it('should leave other text alone, right-to-left letters and emoji included', () => {
    for (const text of ['hello', 'שלום', 'مرحبا', 'a\u200Db 👩‍👩‍👧', 'tab\tand\nnewline']) {
      expect(displayText(text)).toBe(text);
    }
  });
});

describe(isolatedText.name, () => {
  it('should isolate right-to-left text and clean it first', () => {
    expect(isolatedText('שלום\u202E')).toBe('\u2068שלום\u2069');
  });

  it('should return left-to-right text cleaned, unwrapped', () => {
    expect(isolatedText('Bob\u202Eboj.exe')).toBe('Bobboj.exe');
  });
});
