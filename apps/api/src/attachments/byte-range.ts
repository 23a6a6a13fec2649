import type { ByteRange } from './attachment-storage.js';

/**
 * The one range of a `Range: bytes=...` header, within a file of `size` bytes: `{start, end}`,
 * `'unsatisfiable'` (416) when it lies past the end, or undefined to send the whole file (no
 * header, another unit, several ranges, or nonsense: all allowed by RFC 9110 to be ignored).
 */
export function byteRange(header: string | undefined, size: number): ByteRange | 'unsatisfiable' | undefined {
  const match = /^bytes=(\d*)-(\d*)$/.exec(header?.trim() ?? '');
  if (!match || (match[1] === '' && match[2] === '')) return undefined;
  const [, first = '', last = ''] = match;
  if (first === '') {
    // A suffix: the last N bytes.
    const length = Number(last);
    if (length === 0) return 'unsatisfiable';
    return { start: Math.max(0, size - length), end: size - 1 };
  }
  const start = Number(first);
  const end = last === '' ? size - 1 : Math.min(Number(last), size - 1);
  if (start >= size) return 'unsatisfiable';
  if (end < start) return undefined;
  return { start, end };
}
