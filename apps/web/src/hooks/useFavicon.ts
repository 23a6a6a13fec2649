import { useEffect } from 'react';
import { faviconHref } from './favicon.js';

/** Swaps the tab's icon for the one with the unread dot while `unread`, and back. */
export function useFavicon(unread: boolean): void {
  useEffect(() => {
    let link = document.querySelector<HTMLLinkElement>('link[rel="icon"]');
    if (!link) {
      link = document.createElement('link');
      link.rel = 'icon';
      document.head.append(link);
    }
    link.type = 'image/svg+xml';
    link.href = faviconHref(unread);
  }, [unread]);
}
