/**
 * Bringing a message that the virtual list has not drawn into view: each list registers how it
 * scrolls to a message id (true when it holds that message), and a jump (a reply's quote) asks it.
 */
const revealers = new Map<string, (id: string) => boolean>();

export function registerRevealer(scope: string, reveal: (id: string) => boolean): () => void {
  revealers.set(scope, reveal);
  return () => {
    if (revealers.get(scope) === reveal) revealers.delete(scope);
  };
}

/** Scrolls the list of `scope` to the message; false when that list does not hold it. */
export function revealMessage(scope: string, id: string): boolean {
  return revealers.get(scope)?.(id) ?? false;
}
