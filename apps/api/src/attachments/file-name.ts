/** The most characters (code points) a stored name keeps. */
export const MAX_FILE_NAME_LENGTH = 200;

// eslint-disable-next-line no-control-regex -- removing control characters is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g;
/** Bidirectional overrides and marks, which make `gpj.exe` look like `exe.jpg`, and zero-width ones. */
const INVISIBLE = /[\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/g;

/**
 * The name a file is shown and downloaded under: the last part of any path (either slash), without
 * control, bidirectional or zero-width characters, without leading dots, at most
 * MAX_FILE_NAME_LENGTH characters keeping the extension. The server never uses it as a path.
 */
export function sanitizeFileName(raw: string | undefined): string {
  const last = (raw ?? '').split(/[/\\]/).pop() ?? '';
  const clean = last.replace(CONTROL, '').replace(INVISIBLE, '').normalize('NFC').trim().replace(/^\.+/, '');
  if (clean === '') return 'file';
  const chars = Array.from(clean);
  if (chars.length <= MAX_FILE_NAME_LENGTH) return clean;
  const dot = clean.lastIndexOf('.');
  const extension = dot > 0 ? Array.from(clean.slice(dot)).slice(0, 16) : [];
  return [...chars.slice(0, MAX_FILE_NAME_LENGTH - extension.length), ...extension].join('');
}
