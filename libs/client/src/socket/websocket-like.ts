/**
 * The part of a WebSocket the client uses: the browser's global `WebSocket` and Node's `ws`
 * package both fit. Handlers take `never` so that either's own event types are accepted; the
 * socket only ever assigns them, never calls them.
 */
export interface WebSocketLike {
  readonly readyState: number;
  /** The subprotocol the server chose. */
  readonly protocol: string;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  onopen: ((event: never) => void) | null;
  onmessage: ((event: never) => void) | null;
  onclose: ((event: never) => void) | null;
  onerror: ((event: never) => void) | null;
}

/** A WebSocket class: `WebSocket` in browsers, `WebSocket` from `ws` in Node. */
export type WebSocketConstructor = new (url: string, protocols?: string[]) => WebSocketLike;

/**
 * Makes the socket for each attempt, for what a constructor cannot say: Node clients sending
 * `Authorization: Bearer <token>` (`(url, protocols) => new WebSocket(url, protocols, { headers })`).
 */
export type CreateSocket = (url: string, protocols: string[] | undefined) => WebSocketLike;

/** `readyState` of an open socket (the same number in every implementation). */
export const OPEN = 1;
