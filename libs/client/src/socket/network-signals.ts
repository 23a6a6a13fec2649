/**
 * What the runtime says about the network and the user's attention: the browser's
 * `online`/`offline` events and `navigator.onLine`, window focus and the tab becoming visible.
 * A socket uses them to stop waiting out its backoff the moment trying again can work.
 */
export interface NetworkSignals {
  /** False when the runtime knows there is no network (reliable); true only means "maybe". */
  isOnline(): boolean;
  /**
   * Calls the handlers on changes; returns the function that stops listening. `onWake` is a sign
   * the user is back (focus, the tab visible again): a good moment to retry at once.
   */
  watch(handlers: { onOnline: () => void; onOffline: () => void; onWake: () => void }): () => void;
}

/** A runtime without these signals (Node, workers without a window): always "maybe online". */
export const NO_SIGNALS: NetworkSignals = {
  isOnline: () => true,
  watch: () => () => undefined,
};

/** The browser's signals, or {@link NO_SIGNALS} outside a browser (guarded, so Node can load this). */
export function browserSignals(): NetworkSignals {
  const win = typeof window === 'undefined' ? undefined : window;
  if (!win || typeof win.addEventListener !== 'function') return NO_SIGNALS;
  const doc = typeof document === 'undefined' ? undefined : document;
  return {
    isOnline: () => typeof navigator === 'undefined' || navigator.onLine !== false,
    watch: ({ onOnline, onOffline, onWake }) => {
      const onVisibility = () => {
        if (doc?.visibilityState === 'visible') onWake();
      };
      win.addEventListener('online', onOnline);
      win.addEventListener('offline', onOffline);
      win.addEventListener('focus', onWake);
      doc?.addEventListener('visibilitychange', onVisibility);
      return () => {
        win.removeEventListener('online', onOnline);
        win.removeEventListener('offline', onOffline);
        win.removeEventListener('focus', onWake);
        doc?.removeEventListener('visibilitychange', onVisibility);
      };
    },
  };
}
