import type { AttachmentType } from '@chat/contracts';
import type { Response } from 'express';

/** Images a browser shows as pictures (never runs): these alone are served inline. */
const INLINE = new Set<AttachmentType>(['image/png', 'image/jpeg', 'image/gif', 'image/webp']);

/**
 * Headers for a downloaded file. Whatever the bytes are, the browser must not read them as a
 * page: the type is the one the server found (never text/html or SVG), `nosniff` forbids
 * guessing another, and a sandbox CSP turns off scripts, forms and plugins even if it did.
 * Everything but an image comes as a download. The browser revalidates each time
 * (`no-cache` with an ETag), so that access is checked on every request while the bytes,
 * which never change, cross the network once.
 */
export function setDownloadHeaders(
  response: Response,
  file: { type: AttachmentType; name: string; etag: string; size?: number },
): void {
  response.setHeader('X-Content-Type-Options', 'nosniff');
  response.setHeader('Content-Security-Policy', "default-src 'none'; sandbox");
  response.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
  response.setHeader('Cache-Control', 'private, no-cache');
  response.setHeader('ETag', file.etag);
  if (file.size !== undefined) response.setHeader('Content-Length', String(file.size));
  // Express encodes the name (RFC 6266, with an ASCII fallback); only the disposition differs.
  // It also sets a Content-Type from the name's extension: ours, from the content, replaces it.
  response.attachment(file.name);
  if (INLINE.has(file.type)) {
    const value = String(response.getHeader('Content-Disposition'));
    response.setHeader('Content-Disposition', value.replace(/^attachment/, 'inline'));
  }
  response.setHeader('Content-Type', file.type === 'text/plain' ? 'text/plain; charset=utf-8' : file.type);
}
