import type { KeyboardEvent } from 'react';

/**
 * Up/Down (and Home/End) between the messages of a list, from the list itself or a message;
 * true when it moved focus. Keys typed in a field or on a button inside a message are theirs.
 */
export function moveFocus(event: KeyboardEvent<HTMLElement>, container: HTMLElement | null): boolean {
  if (!container || event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) return false;
  const target = event.target as HTMLElement;
  const onMessage = target.matches('[data-message-id]');
  if (target !== container && !onMessage) return false;
  const items = [...container.querySelectorAll<HTMLElement>('[data-message-id]')];
  if (items.length === 0) return false;
  const index = onMessage ? items.indexOf(target) : items.length;
  const next = {
    ArrowUp: Math.max(0, index - 1),
    ArrowDown: index + 1,
    Home: 0,
    End: items.length - 1,
  }[event.key];
  if (next === undefined) return false;
  const item = items[next];
  if (!item) return false;
  item.focus();
  item.scrollIntoView?.({ block: 'nearest' });
  return true;
}
