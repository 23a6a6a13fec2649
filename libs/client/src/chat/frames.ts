import type { ClientEventMap, ClientEventName } from '@chat/contracts';

/** This page's own WebSocket endpoint (wss under https). */
export function chatSocketUrl(location: Location = window.location): string {
  return `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws`;
}

/** A client frame of the envelope protocol, typed by event. */
export function frame<E extends ClientEventName>(event: E, data: ClientEventMap[E]): string {
  return JSON.stringify({ event, data });
}
