interface NotificationPromptProps {
  onEnable: () => void;
  onDismiss: () => void;
}

/** A polite offer: the browser's permission prompt only ever follows a click here. */
export function NotificationPrompt({ onEnable, onDismiss }: NotificationPromptProps) {
  return (
    <section className="offer" aria-label="Desktop notifications">
      <p className="offer__text">
        Get a notification when someone writes while this tab is in the background.
      </p>
      <div className="offer__actions">
        <button type="button" onClick={onEnable}>
          Enable notifications
        </button>
        <button type="button" className="button--quiet" onClick={onDismiss}>
          Not now
        </button>
      </div>
    </section>
  );
}
