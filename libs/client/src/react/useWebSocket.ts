import { useCallback, useEffect, useLayoutEffect, useRef, useState } from 'react';
import { ReconnectingSocket, type ReconnectingSocketOptions, type SocketState } from '../socket/index.js';

export type UseWebSocketOptions = ReconnectingSocketOptions;

export interface UseWebSocketResult extends SocketState {
  /** Sends a text frame; false when the socket is not open (nothing is queued). */
  send: (data: string) => boolean;
  /** Listens to every incoming text frame; returns the function that stops listening. */
  subscribe: (listener: (data: string) => void) => () => void;
  /** Tries to reconnect now instead of waiting for the backoff. */
  reconnect: () => void;
}

const INITIAL_STATE: SocketState = { status: 'connecting', nextRetryAt: null, attempt: 0, lastClose: null };
const CLOSED_STATE: SocketState = { ...INITIAL_STATE, status: 'closed' };

/**
 * A reconnecting WebSocket as React state. One socket lives per `url` (pass null to stay
 * disconnected); a new url closes the old socket and opens a new one. Options are read when
 * the socket is created, so passing a fresh object each render does not reconnect.
 */
export function useWebSocket(url: string | null, options: UseWebSocketOptions = {}): UseWebSocketResult {
  const [state, setState] = useState<SocketState>(INITIAL_STATE);
  const socketRef = useRef<ReconnectingSocket | null>(null);
  const listenersRef = useRef(new Set<(data: string) => void>());
  const optionsRef = useRef(options);
  useLayoutEffect(() => {
    optionsRef.current = options;
  });

  useEffect(() => {
    if (url === null) return;
    const socket = new ReconnectingSocket(url, optionsRef.current);
    socketRef.current = socket;
    const stopState = socket.onState(setState);
    // Listeners live in the hook, not the socket, so subscriptions survive a url change.
    const stopMessages = socket.onMessage((data) => {
      for (const listener of listenersRef.current) listener(data);
    });
    return () => {
      stopState();
      stopMessages();
      socket.close();
      if (socketRef.current === socket) socketRef.current = null;
    };
  }, [url]);

  const send = useCallback((data: string) => socketRef.current?.send(data) ?? false, []);
  const subscribe = useCallback((listener: (data: string) => void) => {
    listenersRef.current.add(listener);
    return () => {
      listenersRef.current.delete(listener);
    };
  }, []);
  const reconnect = useCallback(() => socketRef.current?.reconnectNow(), []);

  return { ...(url === null ? CLOSED_STATE : state), send, subscribe, reconnect };
}
