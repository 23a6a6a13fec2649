import { useEffect } from 'react';
import { isolatedText } from '../lib/text/bidi.js';

/**
 * Sets the tab's title (where an unread count shows even while the tab is in the background).
 * Cleaned of bidi controls: a title is plain text, with no element to isolate it.
 */
export function useDocumentTitle(title: string): void {
  useEffect(() => {
    document.title = isolatedText(title);
  }, [title]);
}
