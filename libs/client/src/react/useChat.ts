import { useMemo } from 'react';
import type { ChatState } from '../chat/chat-state.js';
import type { ChatSession } from '../session/chat-session.js';
import type { ArrivalListener, SendOptions } from '../session/types.js';
import type { SocketState } from '../socket/types.js';
import { useChatSession, type UseChatSessionOptions } from './useChatSession.js';

/** The socket as the UI shows it (the same shape as {@link useWebSocket}'s result). */
export interface ChatConnection extends SocketState {
  /** Sends a raw text frame; false when the socket is not open (nothing is queued). */
  send: (data: string) => boolean;
  /** Listens to every incoming text frame; returns the function that stops listening. */
  subscribe: (listener: (data: string) => void) => () => void;
  /** Tries to reconnect now instead of waiting for the backoff. */
  reconnect: () => void;
}

/** The session's actions, bound (stable for the session's life: safe in effect dependencies). */
export interface ChatActions {
  send: (text: string, options?: SendOptions) => string;
  retry: (clientId: string) => void;
  discard: (clientId: string) => void;
  openRoom: (room: string) => void;
  selectRoom: (room: string) => void;
  loadOlder: (room: string) => void;
  notifyTyping: () => void;
  dismissNotice: () => void;
  dismissInfo: () => void;
  /** Listens to arrivals; returns the function that stops listening. */
  onArrival: (listener: ArrivalListener) => () => void;
  edit: (room: string, id: string, text: string) => void;
  remove: (room: string, id: string) => void;
  react: (room: string, id: string, emoji: string, on: boolean) => void;
  /** The reader has seen `room` up to `seq`: moves the read marker (throttled). */
  markRead: (room: string, seq: number) => void;
  openThread: (room: string, root: string) => void;
  loadOlderReplies: () => void;
  closeThread: () => void;
}

export interface UseChatResult extends ChatState, ChatActions {
  connection: ChatConnection;
  /** Messages written and not acknowledged yet (sending or failed). */
  pending: number;
  /** The session itself, for what the hook does not wrap. */
  session: ChatSession;
}

/**
 * Chat over the protocol for a signed-in user, as React state: a thin layer over
 * {@link ChatSession} (joins and resumes the user's rooms, keeps messages in order without
 * duplicates, keeps unacknowledged sends in a persistent outbox resent with the same clientId).
 */
export function useChat(
  user: { id: string; guest?: boolean },
  url: string,
  options?: UseChatSessionOptions,
): UseChatResult {
  const { session, snapshot } = useChatSession(user, url, options);
  const actions = useMemo(() => bindActions(session), [session]);
  const { connection: socketState, chat } = snapshot;
  const connection = useMemo<ChatConnection>(
    () => ({
      ...socketState,
      send: (data) => session.sendRaw(data),
      subscribe: (listener) => session.onRawMessage(listener),
      reconnect: () => session.reconnect(),
    }),
    [session, socketState],
  );
  return { ...chat, ...actions, connection, pending: chat.outbox.length, session };
}

function bindActions(session: ChatSession): ChatActions {
  return {
    send: (text, options) => session.send(text, options),
    retry: (clientId) => session.retry(clientId),
    discard: (clientId) => session.discard(clientId),
    openRoom: (room) => session.openRoom(room),
    selectRoom: (room) => session.selectRoom(room),
    loadOlder: (room) => session.loadOlder(room),
    notifyTyping: () => session.notifyTyping(),
    dismissNotice: () => session.dismissNotice(),
    dismissInfo: () => session.dismissInfo(),
    onArrival: (listener) => session.onArrival(listener),
    edit: (room, id, text) => session.edit(room, id, text),
    remove: (room, id) => session.remove(room, id),
    react: (room, id, emoji, on) => session.react(room, id, emoji, on),
    markRead: (room, seq) => session.markRead(room, seq),
    openThread: (room, root) => session.openThread(room, root),
    loadOlderReplies: () => session.loadOlderReplies(),
    closeThread: () => session.closeThread(),
  };
}
