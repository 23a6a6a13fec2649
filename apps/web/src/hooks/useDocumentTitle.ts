import { useEffect } from 'react';

/** Sets the tab's title (where an unread count shows even while the tab is in the background). */
export function useDocumentTitle(title: string): void {
  useEffect(() => {
    document.title = title;
  }, [title]);
}
