import type { ChatMessage } from '@chat/contracts';

/**
 * The stretch as it is now: a message the live room also holds shows in its live state (edits,
 * deletes and reactions since the page was read), and once the stretch reaches the newest
 * message, what arrives live is added after it.
 */
export function withLive(stretch: ChatMessage[], live: ChatMessage[], atNewest: boolean): ChatMessage[] {
  const current = new Map(live.map((m) => [m.id, m]));
  const shown = stretch.map((m) => current.get(m.id) ?? m);
  if (!atNewest) return shown;
  const last = shown.at(-1)?.seq ?? 0;
  return [...shown, ...live.filter((m) => m.seq > last)];
}
