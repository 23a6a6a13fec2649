import type {
  ChatMessage,
  ErrorPayload,
  HistoryPage,
  Joined,
  Limits,
  Notice,
  Presence,
  PresenceDiff,
  TypingNotice,
  User,
} from '@chat/contracts';
import {
  contiguousEnd,
  EMPTY_ROOM,
  mergeMessages,
  TYPING_VISIBLE_MS,
  type ChatState,
  type PendingMessage,
  type RoomState,
} from './chat-state.js';

export type ChatAction =
  | { type: 'welcome'; user: User; limits: Limits }
  | { type: 'joined'; joined: Joined }
  | { type: 'message'; message: ChatMessage }
  | { type: 'history'; page: HistoryPage }
  | { type: 'loadingOlder'; room: string }
  | { type: 'presence'; presence: Presence }
  | { type: 'presenceDiff'; diff: PresenceDiff }
  | { type: 'typing'; notice: TypingNotice; now: number }
  /** A private answer (slash command); with a clientId it settles that pending message. */
  | { type: 'serverNotice'; notice: Notice }
  | { type: 'dismissInfo' }
  | { type: 'expireTyping'; now: number }
  | { type: 'open'; room: string }
  | { type: 'select'; room: string }
  | { type: 'close'; room: string }
  | { type: 'queued'; pending: PendingMessage }
  | { type: 'acked'; clientId: string }
  | { type: 'error'; error: ErrorPayload }
  | { type: 'retry'; clientId: string }
  | { type: 'discard'; clientId: string }
  | { type: 'dismissNotice' }
  /** The socket closed: who is online and typing is no longer known. */
  | { type: 'disconnected' };

/** Refusals of a join that say "later", not "never": the room stays on the list. */
const TRANSIENT_JOIN_ERRORS = new Set(['unavailable', 'internal', 'rate_limited']);

/** Errors after which sending the same message again cannot succeed. */
const PERMANENT_ERRORS = new Set(['bad_request', 'too_large', 'forbidden', 'not_found']);

export function chatReducer(state: ChatState, action: ChatAction): ChatState {
  switch (action.type) {
    case 'welcome':
      return { ...state, me: action.user, limits: action.limits };
    case 'joined': {
      const { room, messages, hasMore, lastSeq, reset } = action.joined;
      return withoutDelivered(
        updateRoom(state, room, (kept) => {
          // The server's history of this room started again (`since` was past its lastSeq): what
          // we hold belongs to the old one, so the page replaces it instead of merging with it.
          const current = reset ? { ...kept, messages: [], lastSeq: 0, historyUntil: null } : kept;
          const merged = mergeMessages(current.messages, messages);
          return {
            ...current,
            messages: merged,
            lastSeq: contiguousEnd(Math.max(current.lastSeq, lastSeq), merged),
            hasMore: current.messages.length === 0 ? hasMore : current.hasMore || hasMore,
            historyUntil: current.historyUntil ?? lastSeq,
          };
        }),
        messages,
      );
    }
    case 'message': {
      const { message } = action;
      const fromOther = message.user.id !== state.me?.id;
      const next = updateRoom(state, message.room, (current) => {
        const messages = mergeMessages(current.messages, [message]);
        const isNew = messages !== current.messages;
        return {
          ...current,
          messages,
          // A seq past a gap does not move the resume point: see gapAfter.
          lastSeq: contiguousEnd(current.lastSeq, messages),
          unread: current.unread + (isNew && fromOther && message.room !== state.active ? 1 : 0),
          // A message from someone ends their "is typing…".
          typing: current.typing.filter((t) => t.user.id !== message.user.id),
        };
      });
      return withoutDelivered(next, [message]);
    }
    case 'history':
      return updateRoom(state, action.page.room, (current) => ({
        ...current,
        messages: mergeMessages(current.messages, action.page.messages),
        hasMore: action.page.hasMore,
        loadingOlder: false,
      }));
    case 'loadingOlder':
      return updateRoom(state, action.room, (current) => ({ ...current, loadingOlder: true }));
    case 'presence':
      return updateRoom(state, action.presence.room, (current) => ({
        ...current,
        presence: action.presence.users,
      }));
    case 'presenceDiff': {
      const { room, joined, left } = action.diff;
      const gone = new Set([...left, ...joined].map((u) => u.id));
      return updateRoom(state, room, (current) => ({
        ...current,
        presence: [...current.presence.filter((u) => !gone.has(u.id)), ...joined],
        typing: current.typing.filter((t) => !left.some((u) => u.id === t.user.id)),
      }));
    }
    case 'typing': {
      const { room, user } = action.notice;
      return updateRoom(state, room, (current) => ({
        ...current,
        typing: [
          ...current.typing.filter((t) => t.user.id !== user.id),
          { user, until: action.now + TYPING_VISIBLE_MS },
        ],
      }));
    }
    case 'expireTyping': {
      let next = state;
      for (const [room, current] of state.rooms) {
        if (current.typing.some((t) => t.until <= action.now)) {
          next = updateRoom(next, room, (r) => ({
            ...r,
            typing: r.typing.filter((t) => t.until > action.now),
          }));
        }
      }
      return next;
    }
    case 'open':
      return {
        ...selectRoom(state, action.room),
        joined: state.joined.includes(action.room) ? state.joined : [...state.joined, action.room],
      };
    case 'select':
      return selectRoom(state, action.room);
    case 'close': {
      const joined = state.joined.filter((room) => room !== action.room);
      const rooms = new Map(state.rooms);
      rooms.delete(action.room);
      const active = state.active === action.room ? (joined[0] ?? 'general') : state.active;
      return { ...state, joined, rooms, active };
    }
    case 'queued':
      return { ...state, outbox: [...state.outbox, action.pending] };
    case 'acked':
      return { ...state, outbox: state.outbox.filter((p) => p.clientId !== action.clientId) };
    case 'error':
      return applyError(state, action.error);
    case 'retry':
      return {
        ...state,
        outbox: state.outbox.map((p) =>
          p.clientId === action.clientId ? { ...p, status: 'sending', error: undefined } : p,
        ),
      };
    case 'discard':
      return { ...state, outbox: state.outbox.filter((p) => p.clientId !== action.clientId) };
    case 'dismissNotice':
      return { ...state, notice: null };
    case 'serverNotice': {
      const { clientId, text } = action.notice;
      const outbox = clientId ? state.outbox.filter((p) => p.clientId !== clientId) : state.outbox;
      return { ...state, outbox, info: text === '' ? state.info : text };
    }
    case 'dismissInfo':
      return { ...state, info: null };
    case 'disconnected': {
      const rooms = new Map<string, RoomState>();
      for (const [name, room] of state.rooms) rooms.set(name, { ...room, presence: [], typing: [] });
      return { ...state, rooms };
    }
  }
}

function updateRoom(state: ChatState, room: string, update: (current: RoomState) => RoomState): ChatState {
  const rooms = new Map(state.rooms);
  rooms.set(room, update(state.rooms.get(room) ?? EMPTY_ROOM));
  return { ...state, rooms };
}

function selectRoom(state: ChatState, room: string): ChatState {
  return updateRoom({ ...state, active: room }, room, (current) => ({ ...current, unread: 0 }));
}

function applyError(state: ChatState, error: ErrorPayload): ChatState {
  const pending = error.clientId ? state.outbox.find((p) => p.clientId === error.clientId) : undefined;
  if (!pending) {
    // A refused join takes the room off the list: it would only be refused again. A passing
    // refusal (storage down, read quota spent) keeps it: useChat joins again later.
    const refusedJoin = error.event === 'join' && error.room && !TRANSIENT_JOIN_ERRORS.has(error.code);
    const next = refusedJoin ? chatReducer(state, { type: 'close', room: error.room! }) : state;
    return { ...next, notice: error.message };
  }
  if (!PERMANENT_ERRORS.has(error.code)) return state; // retried on the next reconnect
  return {
    ...state,
    outbox: state.outbox.map((p) => (p === pending ? { ...p, status: 'failed', error: error.message } : p)),
  };
}

/** A pending message is done once its stored copy has arrived (even if its ack was lost). */
function withoutDelivered(state: ChatState, messages: ChatMessage[]): ChatState {
  const me = state.me;
  if (!me || state.outbox.length === 0) return state;
  const delivered = new Set(messages.filter((m) => m.user.id === me.id && m.clientId).map((m) => m.clientId));
  if (delivered.size === 0) return state;
  return { ...state, outbox: state.outbox.filter((p) => !delivered.has(p.clientId)) };
}
