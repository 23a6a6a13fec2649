import { describe, expect, it } from '@jest/globals';
import { MAX_FILE_NAME_LENGTH, sanitizeFileName } from './file-name.js';

describe(sanitizeFileName.name, () => {
  it('should keep only the last part of a path, with either slash', () => {
    expect(sanitizeFileName('../../etc/passwd')).toBe('passwd');
    expect(sanitizeFileName('C:\\Users\\me\\report.pdf')).toBe('report.pdf');
  });

  it('should remove control, bidirectional and zero-width characters, and leading dots', () => {
    expect(sanitizeFileName('a\u0000b\u0007c.txt')).toBe('abc.txt');
    expect(sanitizeFileName('evil\u202Egnp.exe')).toBe('evilgnp.exe');
    expect(sanitizeFileName('zero\u200Bwidth\uFEFF.txt')).toBe('zerowidth.txt');
    expect(sanitizeFileName('..hidden')).toBe('hidden');
  });

  it('should name a file that has no name left', () => {
    expect(sanitizeFileName(undefined)).toBe('file');
    expect(sanitizeFileName('../')).toBe('file');
    expect(sanitizeFileName('\u202E')).toBe('file');
  });

  it('should cap the length in characters, keeping the extension', () => {
    const name = sanitizeFileName(`${'ü'.repeat(300)}.tar`);
    expect(Array.from(name)).toHaveLength(MAX_FILE_NAME_LENGTH);
    expect(name.endsWith('.tar')).toBe(true);
    // Astral characters count once, and are never cut in half.
    expect(Array.from(sanitizeFileName('😀'.repeat(300)))).toHaveLength(MAX_FILE_NAME_LENGTH);
  });
});
