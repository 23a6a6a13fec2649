import { describe, expect, it } from '@jest/globals';
import { TextCheck, typeFromMagic } from './content-type.js';

const bytes = (...values: (number | string)[]) =>
  Buffer.concat(
    values.map((value) => (typeof value === 'string' ? Buffer.from(value, 'latin1') : Buffer.from([value]))),
  );

describe(typeFromMagic.name, () => {
  it('should know the allowed binary types by their first bytes', () => {
    expect(typeFromMagic(bytes(0x89, 'PNG\r\n', 0x1a, '\n', 0, 0))).toBe('image/png');
    expect(typeFromMagic(bytes(0xff, 0xd8, 0xff, 0xe0))).toBe('image/jpeg');
    expect(typeFromMagic(bytes('GIF89a'))).toBe('image/gif');
    expect(typeFromMagic(bytes('RIFF', 0, 0, 0, 0, 'WEBPVP8 '))).toBe('image/webp');
    expect(typeFromMagic(bytes('%PDF-1.7'))).toBe('application/pdf');
    expect(typeFromMagic(bytes('PK', 3, 4))).toBe('application/zip');
  });

  it('should name nothing else: HTML, SVG, RIFF that is no WebP, executables', () => {
    expect(typeFromMagic(bytes('<svg xmlns="http://www.w3.org/2000/svg">'))).toBeNull();
    expect(typeFromMagic(bytes('<!doctype html>'))).toBeNull();
    expect(typeFromMagic(bytes('RIFF', 0, 0, 0, 0, 'WAVEfmt '))).toBeNull();
    expect(typeFromMagic(bytes('MZ', 0x90, 0))).toBeNull();
  });
});

describe(TextCheck.name, () => {
  const isText = (...chunks: Buffer[]) => {
    const check = new TextCheck();
    for (const chunk of chunks) check.push(chunk);
    return check.isText();
  };

  it('should accept UTF-8, also with a character split across chunks', () => {
    const euro = Buffer.from('price: 5 €\n', 'utf8');
    expect(isText(euro.subarray(0, 10), euro.subarray(10))).toBe(true);
  });

  it('should refuse NUL, invalid UTF-8, and a file that ends inside a character', () => {
    expect(isText(Buffer.from('a\u0000b'))).toBe(false);
    expect(isText(Buffer.from([0x61, 0xc3, 0x28]))).toBe(false);
    expect(isText(Buffer.from('€', 'utf8').subarray(0, 2))).toBe(false);
  });
});
