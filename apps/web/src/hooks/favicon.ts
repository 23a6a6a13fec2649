/**
 * The app's icon: a speech bubble on the accent colour, with a red dot while something is unread
 * (the tab shows it even in the background). SVG, so one file is sharp at every size; the dotted
 * one is a data: URL (the Content-Security-Policy allows data: images) so no second file exists.
 */
const BUBBLE =
  '<rect width="64" height="64" rx="14" fill="#1f5bd6"/>' +
  '<path d="M16 18h32a6 6 0 0 1 6 6v14a6 6 0 0 1-6 6H30l-10 8v-8h-4a6 6 0 0 1-6-6V24a6 6 0 0 1 6-6z" fill="#fff"/>';
const DOT = '<circle cx="52" cy="12" r="11" fill="#d1242f" stroke="#fff" stroke-width="3"/>';

export function faviconSvg(unread: boolean): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64">${BUBBLE}${unread ? DOT : ''}</svg>`;
}

export function faviconHref(unread: boolean): string {
  return `data:image/svg+xml,${encodeURIComponent(faviconSvg(unread))}`;
}
