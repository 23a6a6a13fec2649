import { useCallback, useEffect, useReducer, useRef } from 'react';
import {
  DEFAULT_ROOM,
  PROTOCOL_V1,
  type ClientEventMap,
  type ClientEventName,
  type ServerFrame,
} from '@chat/contracts';
import { useWebSocket, type UseWebSocketResult } from '../hooks/useWebSocket.js';
import { chatReducer, initialChatState, type ChatState } from './chat-state.js';

export interface UseChatResult extends ChatState {
  connection: UseWebSocketResult;
  /** The room on screen. */
  room: string;
  send: (text: string) => void;
  retry: (clientId: string) => void;
  discard: (clientId: string) => void;
  dismissNotice: () => void;
}

const HEARTBEAT_INTERVAL_MS = 20_000;

export function chatSocketUrl(name: string, location: Location = window.location): string {
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  return `${scheme}://${location.host}/ws?name=${encodeURIComponent(name)}`;
}

function frame<E extends ClientEventName>(event: E, data: ClientEventMap[E]): string {
  return JSON.stringify({ event, data });
}

/**
 * Chat over the protocol: joins (and on every reconnect resumes) the room, keeps messages in
 * order without duplicates, and retries unacknowledged sends with their original clientId.
 */
export function useChat(name: string): UseChatResult {
  const room = DEFAULT_ROOM;
  const [state, dispatch] = useReducer(chatReducer, initialChatState);
  const connection = useWebSocket(chatSocketUrl(name), {
    protocols: [PROTOCOL_V1],
    heartbeat: { message: () => frame('ping', { t: Date.now() }), intervalMs: HEARTBEAT_INTERVAL_MS },
  });
  const { send: sendRaw, subscribe, status } = connection;
  // Handlers read the latest state without re-subscribing on every render.
  const stateRef = useRef(state);
  useEffect(() => {
    stateRef.current = state;
  });
  // Whether the room is joined on the current socket; sends before that wait in the outbox.
  const joinedRef = useRef(false);
  useEffect(() => {
    if (status !== 'open') joinedRef.current = false;
  }, [status]);

  const flushOutbox = useCallback(() => {
    for (const pending of stateRef.current.outbox) {
      if (pending.status === 'sending') {
        sendRaw(frame('send', { room: pending.room, text: pending.text, clientId: pending.clientId }));
      }
    }
  }, [sendRaw]);

  useEffect(
    () =>
      subscribe((raw) => {
        let incoming: ServerFrame;
        try {
          incoming = JSON.parse(raw) as ServerFrame;
        } catch {
          return;
        }
        switch (incoming.event) {
          case 'welcome': {
            joinedRef.current = false;
            dispatch({ type: 'welcome', user: incoming.data.user, limits: incoming.data.limits });
            const since = stateRef.current.rooms[room]?.lastSeq;
            sendRaw(frame('join', since ? { room, since } : { room }));
            break;
          }
          case 'joined':
            dispatch({ type: 'joined', joined: incoming.data });
            joinedRef.current = true;
            flushOutbox();
            break;
          case 'message':
            dispatch({ type: 'message', message: incoming.data });
            break;
          case 'ack':
            dispatch({ type: 'acked', clientId: incoming.data.clientId });
            break;
          case 'error':
            dispatch({ type: 'error', error: incoming.data });
            break;
        }
      }),
    [subscribe, sendRaw, flushOutbox, room],
  );

  const send = useCallback(
    (text: string) => {
      const pending = {
        clientId: crypto.randomUUID(),
        room,
        text,
        status: 'sending' as const,
        createdAt: new Date().toISOString(),
      };
      dispatch({ type: 'queued', pending });
      // Sent now if we are online; otherwise the outbox is flushed after the next join.
      if (joinedRef.current) sendRaw(frame('send', { room, text, clientId: pending.clientId }));
    },
    [room, sendRaw],
  );

  const retry = useCallback(
    (clientId: string) => {
      const pending = stateRef.current.outbox.find((p) => p.clientId === clientId);
      dispatch({ type: 'retry', clientId });
      if (pending) sendRaw(frame('send', { room: pending.room, text: pending.text, clientId }));
    },
    [sendRaw],
  );
  const discard = useCallback((clientId: string) => dispatch({ type: 'discard', clientId }), []);
  const dismissNotice = useCallback(() => dispatch({ type: 'dismissNotice' }), []);

  return { ...state, connection, room, send, retry, discard, dismissNotice };
}
