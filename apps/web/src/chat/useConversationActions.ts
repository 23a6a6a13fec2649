import { useCallback, useEffect, useMemo, useRef, type RefObject } from 'react';
import type { CreateRoomRequest, RoomInfo } from '@chat/contracts';
import * as api from '../api/conversations-api.js';
import { ApiError } from '../api/http.js';
import type { ChatAction } from './chat-reducer.js';
import type { ChatState } from './chat-state.js';
import { frame } from './frames.js';

/** Read markers go out at most this often per room: scrolling through a busy room is one frame a second. */
export const READ_EVERY_MS = 1000;
const THREAD_PAGE = 50;

export interface ConversationActions {
  edit: (room: string, id: string, text: string) => void;
  remove: (room: string, id: string) => void;
  react: (room: string, id: string, emoji: string, on: boolean) => void;
  /** The reader has seen `room` up to `seq`: moves the read marker (throttled). */
  markRead: (room: string, seq: number) => void;
  openThread: (room: string, root: string) => void;
  loadOlderReplies: () => void;
  closeThread: () => void;
  loadMembers: (room: string) => Promise<void>;
  createRoom: (request: CreateRoomRequest) => Promise<void>;
  /** Opens (or finds) the DM with `username` and shows it. */
  openDm: (username: string) => Promise<void>;
  invite: (room: string, username: string) => Promise<void>;
  /** Leaves `room` on every device (the server says `room.removed` to each). */
  leave: (room: string) => Promise<void>;
  /** Shows why something the user asked for failed (an HTTP call outside a dialog). */
  showFailure: (failure: unknown) => void;
}

interface Deps {
  dispatch: (action: ChatAction) => void;
  sendRaw: (data: string) => boolean;
  state: RefObject<ChatState>;
  /** Joins `room` on this socket unless it is joined or being joined. */
  join: (room: string) => void;
  /** Nothing more of `room` is expected on this socket. */
  forget: (room: string) => void;
  /** What each `history` request on this socket pages, in order (for answers that do not echo it). */
  historyAsked: RefObject<(string | undefined)[]>;
}

/**
 * The user's actions on rooms and messages: change events over the socket (each with a fresh
 * clientId, answered by the change itself arriving), membership over HTTP.
 */
export function useConversationActions({
  dispatch,
  sendRaw,
  state,
  join,
  forget,
  historyAsked,
}: Deps): ConversationActions {
  const readTimers = useRef(new Map<string, { timer: ReturnType<typeof setTimeout>; seq: number }>());
  useEffect(() => {
    const timers = readTimers.current;
    return () => {
      for (const { timer } of timers.values()) clearTimeout(timer);
    };
  }, []);

  const change = useCallback(
    (text: string) => {
      if (!sendRaw(text))
        dispatch({
          type: 'error',
          error: { code: 'unavailable', message: 'Not connected: try again once the connection is back.' },
        });
    },
    [sendRaw, dispatch],
  );

  const markRead = useCallback(
    (room: string, seq: number) => {
      const info = state.current.rooms.get(room)?.info;
      if (!info || seq <= info.readSeq) return;
      dispatch({ type: 'read', room, seq });
      const waiting = readTimers.current.get(room);
      if (waiting) {
        waiting.seq = Math.max(waiting.seq, seq);
        return;
      }
      sendRaw(frame('read', { room, seq }));
      // Later marks within the window go out once, at its end, with the newest seq.
      const entry = {
        seq,
        timer: setTimeout(() => {
          readTimers.current.delete(room);
          if (entry.seq > seq) sendRaw(frame('read', { room, seq: entry.seq }));
        }, READ_EVERY_MS),
      };
      readTimers.current.set(room, entry);
    },
    [dispatch, sendRaw, state],
  );

  const askThread = useCallback(
    (room: string, root: string, before?: number) => {
      historyAsked.current.push(root);
      sendRaw(frame('history', { room, threadId: root, limit: THREAD_PAGE, ...(before ? { before } : {}) }));
    },
    [sendRaw, historyAsked],
  );

  const added = useCallback(
    (info: RoomInfo) => {
      dispatch({ type: 'roomAdded', room: info });
      join(info.name);
      dispatch({ type: 'select', room: info.name });
    },
    [dispatch, join],
  );

  return useMemo<ConversationActions>(
    () => ({
      edit: (room, id, text) => change(frame('edit', { room, id, text, clientId: crypto.randomUUID() })),
      remove: (room, id) => change(frame('delete', { room, id, clientId: crypto.randomUUID() })),
      react: (room, id, emoji, on) =>
        change(frame('react', { room, id, emoji, on, clientId: crypto.randomUUID() })),
      markRead,
      openThread: (room, root) => {
        dispatch({ type: 'openThread', room, root });
        askThread(room, root);
      },
      loadOlderReplies: () => {
        const thread = state.current.thread;
        if (!thread || !thread.hasMore || thread.loading) return;
        const replies = state.current.rooms
          .get(thread.room)
          ?.messages.filter((m) => m.threadId === thread.root);
        askThread(thread.room, thread.root, replies?.[0]?.seq);
      },
      closeThread: () => dispatch({ type: 'closeThread' }),
      loadMembers: async (room) => dispatch({ type: 'members', room, members: await api.fetchMembers(room) }),
      createRoom: async (request) => added(await api.createRoom(request)),
      openDm: async (username) => added(await api.openDm(username)),
      invite: (room, username) => api.addMember(room, username),
      showFailure: (failure) =>
        dispatch({
          type: 'error',
          error: {
            code: failure instanceof ApiError ? failure.body.code : 'internal',
            event: 'http',
            message: failure instanceof Error ? failure.message : 'That did not work: try again.',
          },
        }),
      leave: async (room) => {
        await api.leaveRoom(room);
        dispatch({ type: 'roomRemoved', room });
        forget(room);
      },
    }),
    [change, markRead, askThread, added, dispatch, forget, state],
  );
}
