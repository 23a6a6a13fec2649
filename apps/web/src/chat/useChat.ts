import { useCallback, useEffect, useReducer, useRef } from 'react';
import { DEFAULT_ROOM, PROTOCOL_V1, type ChatMessage, type ServerFrame, type User } from '@chat/contracts';
import { useWebSocket, type UseWebSocketResult } from '../hooks/useWebSocket.js';
import { ArrivalTracker } from './arrivals.js';
import { chatReducer } from './chat-reducer.js';
import { initialChatState, type ChatState, type PendingMessage } from './chat-state.js';
import { handleConversationFrame } from './conversation-frames.js';
import { chatSocketUrl, frame } from './frames.js';
import { loadOutbox, loadRooms, saveOutbox, saveRooms } from './persistence.js';
import { useConversationActions, type ConversationActions } from './useConversationActions.js';
import { usePacedSends } from './usePacedSends.js';
import { useRoomJoins } from './useRoomJoins.js';

/** Called with each message that is news (see ArrivalTracker), from anyone, in any room. */
export type ArrivalListener = (message: ChatMessage) => void;

/** Where a new message goes besides the active room's main conversation. */
export interface SendOptions {
  /** The id of the message it answers (quoted). */
  replyTo?: string;
  /** The root of the thread it is a reply in (the thread's room, not the active one). */
  thread?: { room: string; root: string };
}

export interface UseChatResult extends ChatState, ConversationActions {
  connection: UseWebSocketResult;
  send: (text: string, options?: SendOptions) => void;
  retry: (clientId: string) => void;
  discard: (clientId: string) => void;
  openRoom: (room: string) => void;
  selectRoom: (room: string) => void;
  loadOlder: (room: string) => void;
  /** Asks for (the next page of) who is online in a room, optionally those matching `q`. */
  listOnline: (room: string, options?: { q?: string; more?: boolean }) => void;
  closeOnline: (room: string) => void;
  notifyTyping: () => void;
  dismissNotice: () => void;
  dismissInfo: () => void;
  /** Listens to arrivals; returns the function that stops listening. */
  onArrival: (listener: ArrivalListener) => () => void;
}

const HEARTBEAT_INTERVAL_MS = 20_000;
/** A send refused for a passing reason (storage down, rate limit) is tried again after this long. */
const RETRY_TRANSIENT_MS = 3000;
const TYPING_NOTICE_EVERY_MS = 2000;
const TRANSIENT_ERRORS = new Set(['unavailable', 'rate_limited', 'internal']);
/**
 * A message still unacknowledged this long after it was sent is sent again (same clientId, so
 * never stored twice): whatever went wrong on the way, the outbox converges.
 */
const RESEND_AFTER_MS = 10_000;

/**
 * Chat over the protocol for a signed-in user: joins (and on every reconnect resumes) their
 * rooms, keeps messages in order without duplicates, and keeps unacknowledged sends in a
 * persistent outbox that is retried with the original clientId until the server has them.
 * `url` is the WebSocket endpoint (this page's own `/ws` unless given, as in tests).
 */
export function useChat(user: User, url: string = chatSocketUrl()): UseChatResult {
  const [state, dispatch] = useReducer(chatReducer, user.id, (id) => {
    const { joined, active } = loadRooms(id);
    return initialChatState(joined, active, loadOutbox(id));
  });
  const connection = useWebSocket(url, {
    protocols: [PROTOCOL_V1],
    heartbeat: { message: () => frame('ping', { t: Date.now() }), intervalMs: HEARTBEAT_INTERVAL_MS },
  });
  const { send: sendRaw, subscribe, status } = connection;
  // Handlers read the latest state without re-subscribing on every render.
  const stateRef = useRef(state);
  useEffect(() => {
    stateRef.current = state;
  });
  const historyAsked = useRef<(string | undefined)[]>([]);
  const lastTypingAt = useRef(0);
  /** When each pending message was last put on the wire. */
  const sentAt = useRef(new Map<string, number>());
  const arrivals = useRef(new ArrivalTracker());
  const resumePoint = useCallback((room: string) => stateRef.current.rooms.get(room)?.lastSeq, []);
  const { liveRooms, joining, join, ensureJoined, forget } = useRoomJoins({
    sendRaw,
    resumePoint,
    rooms: state.rooms,
    arrivals,
  });
  const arrivalListeners = useRef(new Set<ArrivalListener>());
  const { pacer, sendPending, flushOutbox, settleMine } = usePacedSends({
    sendRaw,
    state: stateRef,
    liveRooms,
    sentAt,
  });

  useEffect(() => saveOutbox(user.id, state.outbox), [user.id, state.outbox]);
  useEffect(() => saveRooms(user.id, state.joined, state.active), [user.id, state.joined, state.active]);
  useEffect(() => {
    if (status === 'open') return;
    liveRooms.current.clear();
    joining.current.clear();
    historyAsked.current = [];
    pacer.reset();
    dispatch({ type: 'disconnected' });
  }, [status, pacer, liveRooms, joining]);

  const actions = useConversationActions({
    dispatch,
    sendRaw,
    state: stateRef,
    join: ensureJoined,
    forget,
    historyAsked,
  });

  useEffect(() => {
    let retryTimer: ReturnType<typeof setTimeout> | undefined;
    /** Joins refused by the read quota, asked again once its wait is over (one timer per room). */
    const joinRetries = new Map<string, ReturnType<typeof setTimeout>>();
    const retryJoin = (room: string, afterMs: number) => {
      clearTimeout(joinRetries.get(room));
      const timer = setTimeout(
        () => {
          joinRetries.delete(room);
          if (stateRef.current.joined.includes(room) && !liveRooms.current.has(room)) join(room);
        },
        // Spread out, so a crowd refused together (a NAT reconnecting) does not come back together.
        afterMs * (1 + Math.random() / 2),
      );
      joinRetries.set(room, timer);
    };
    const announce = (messages: ChatMessage[]) => {
      for (const message of messages) for (const listener of arrivalListeners.current) listener(message);
    };
    const stop = subscribe((raw) => {
      let incoming: ServerFrame;
      try {
        incoming = JSON.parse(raw) as ServerFrame;
      } catch {
        return;
      }
      switch (incoming.event) {
        case 'welcome':
          liveRooms.current.clear();
          joining.current.clear();
          historyAsked.current = [];
          // Every room is joined anew below: a retry still waiting would only cost another read.
          for (const timer of joinRetries.values()) clearTimeout(timer);
          joinRetries.clear();
          dispatch({ type: 'welcome', user: incoming.data.user, limits: incoming.data.limits });
          pacer.connected(incoming.data.limits);
          // Which other rooms are ours the server says next (`rooms`): joining a room from an
          // old list would make us a member again of a public room left on another device.
          join(DEFAULT_ROOM);
          break;
        case 'joined':
          joining.current.delete(incoming.data.room);
          dispatch({ type: 'joined', joined: incoming.data });
          settleMine(incoming.data.messages);
          announce(
            arrivals.current.joined(incoming.data.room, incoming.data.messages, incoming.data.lastSeq),
          );
          liveRooms.current.add(incoming.data.room);
          flushOutbox(incoming.data.room);
          break;
        case 'message':
          dispatch({ type: 'message', message: incoming.data });
          settleMine([incoming.data]);
          if (arrivals.current.message(incoming.data)) announce([incoming.data]);
          break;
        case 'history':
          {
            // Servers echo the thread a page is of; older ones did not: then the order of asking says.
            const asked = historyAsked.current.shift();
            dispatch({ type: 'history', page: incoming.data, threadId: incoming.data.threadId ?? asked });
          }
          break;
        case 'ack':
          dispatch({ type: 'acked', clientId: incoming.data.clientId });
          pacer.settled(incoming.data.clientId);
          break;
        case 'presence':
          dispatch({ type: 'presence', presence: incoming.data });
          break;
        case 'presence.diff':
          dispatch({ type: 'presenceDiff', diff: incoming.data });
          break;
        case 'presence.count':
          dispatch({ type: 'presenceCount', count: incoming.data });
          break;
        case 'presence.page':
          dispatch({ type: 'presencePage', page: incoming.data });
          break;
        case 'typing':
          dispatch({ type: 'typing', notice: incoming.data, now: Date.now() });
          break;
        case 'notice':
          dispatch({ type: 'serverNotice', notice: incoming.data });
          if (incoming.data.clientId) pacer.settled(incoming.data.clientId);
          break;
        case 'error':
          if (incoming.data.event === 'history') historyAsked.current.shift();
          if (incoming.data.event === 'join' && incoming.data.room)
            joining.current.delete(incoming.data.room);
          dispatch({ type: 'error', error: incoming.data });
          if (incoming.data.clientId) pacer.settled(incoming.data.clientId);
          if (incoming.data.event === 'join' && incoming.data.room && incoming.data.code === 'rate_limited') {
            retryJoin(incoming.data.room, incoming.data.retryAfterMs ?? RETRY_TRANSIENT_MS);
          }
          if (incoming.data.clientId && TRANSIENT_ERRORS.has(incoming.data.code)) {
            clearTimeout(retryTimer);
            retryTimer = setTimeout(() => flushOutbox(), RETRY_TRANSIENT_MS * (0.5 + Math.random()));
          }
          break;
        default:
          handleConversationFrame(incoming, dispatch, {
            joinAll: (rooms) => {
              // A guest's rooms are this browser's (the server holds no guest membership, so its
              // `rooms` lists none): the ones it holds are joined too.
              const all = user.guest ? new Set([...stateRef.current.joined, ...rooms]) : rooms;
              all.forEach((room) => ensureJoined(room));
            },
            forget,
          });
      }
    });
    return () => {
      stop();
      clearTimeout(retryTimer);
      for (const timer of joinRetries.values()) clearTimeout(timer);
    };
  }, [subscribe, join, ensureJoined, forget, flushOutbox, settleMine, pacer, liveRooms, joining, user.guest]);

  const hasPending = state.outbox.some((p) => p.status === 'sending');
  useEffect(() => {
    if (!hasPending) return;
    const timer = setInterval(() => {
      const now = Date.now();
      for (const pending of stateRef.current.outbox) {
        const last = sentAt.current.get(pending.clientId) ?? 0;
        if (pending.status === 'sending' && now - last > RESEND_AFTER_MS) sendPending(pending);
      }
    }, RESEND_AFTER_MS / 2);
    return () => clearInterval(timer);
  }, [hasPending, sendPending]);

  // Typing notices expire on their own.
  const hasTyping = [...state.rooms.values()].some((room) => room.typing.length > 0);
  useEffect(() => {
    if (!hasTyping) return;
    const timer = setInterval(() => dispatch({ type: 'expireTyping', now: Date.now() }), 500);
    return () => clearInterval(timer);
  }, [hasTyping]);

  const send = useCallback(
    (text: string, options: SendOptions = {}) => {
      const pending: PendingMessage = {
        clientId: crypto.randomUUID(),
        room: options.thread?.room ?? stateRef.current.active,
        text,
        ...(options.replyTo ? { replyTo: options.replyTo } : {}),
        ...(options.thread ? { threadId: options.thread.root } : {}),
        status: 'sending',
        createdAt: new Date().toISOString(),
      };
      dispatch({ type: 'queued', pending });
      // Sent now if the room is live on this socket; otherwise after the next join.
      sendPending(pending);
    },
    [sendPending],
  );

  const retry = useCallback(
    (clientId: string) => {
      const pending = stateRef.current.outbox.find((p) => p.clientId === clientId);
      dispatch({ type: 'retry', clientId });
      if (pending) sendPending({ ...pending, status: 'sending', error: undefined });
    },
    [sendPending],
  );

  const openRoom = useCallback(
    (room: string) => {
      const known = stateRef.current.joined.includes(room);
      dispatch({ type: 'open', room });
      if (!known) join(room);
    },
    [join],
  );
  const loadOlder = useCallback(
    (room: string) => {
      const current = stateRef.current.rooms.get(room);
      const oldest = current?.messages[0];
      if (!current || !current.hasMore || current.loadingOlder || !oldest) return;
      dispatch({ type: 'loadingOlder', room });
      historyAsked.current.push(undefined);
      sendRaw(frame('history', { room, before: oldest.seq, limit: 50 }));
    },
    [sendRaw],
  );
  const listOnline = useCallback(
    (room: string, options: { q?: string; more?: boolean } = {}) => {
      // The server trims the search and echoes it: compare like with like.
      const q = (options.q ?? '').trim();
      const more = options.more ?? false;
      const open = stateRef.current.rooms.get(room)?.onlinePage;
      const after = more && open?.q === q ? open.next : undefined;
      if (more && after === undefined) return; // everyone is listed already
      dispatch({ type: 'presenceListing', room, q, more });
      sendRaw(frame('presence.list', { room, limit: 50, ...(after && { after }), ...(q && { q }) }));
    },
    [sendRaw],
  );
  const closeOnline = useCallback((room: string) => dispatch({ type: 'closeOnline', room }), []);
  const notifyTyping = useCallback(() => {
    const now = Date.now();
    if (now - lastTypingAt.current < TYPING_NOTICE_EVERY_MS) return;
    lastTypingAt.current = now;
    const room = stateRef.current.active;
    if (liveRooms.current.has(room)) sendRaw(frame('typing', { room }));
  }, [sendRaw, liveRooms]);

  const selectRoom = useCallback((room: string) => dispatch({ type: 'select', room }), []);
  const discard = useCallback((clientId: string) => dispatch({ type: 'discard', clientId }), []);
  const dismissNotice = useCallback(() => dispatch({ type: 'dismissNotice' }), []);
  const dismissInfo = useCallback(() => dispatch({ type: 'dismissInfo' }), []);
  const onArrival = useCallback((listener: ArrivalListener) => {
    arrivalListeners.current.add(listener);
    return () => {
      arrivalListeners.current.delete(listener);
    };
  }, []);

  return {
    ...state,
    ...actions,
    connection,
    send,
    retry,
    discard,
    openRoom,
    selectRoom,
    loadOlder,
    listOnline,
    closeOnline,
    notifyTyping,
    dismissNotice,
    dismissInfo,
    onArrival,
  };
}
