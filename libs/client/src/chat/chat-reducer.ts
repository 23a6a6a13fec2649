import type {
  ChatMessage,
  ErrorPayload,
  HistoryPage,
  Joined,
  Limits,
  Mention,
  Notice,
  Presence,
  PresenceCount,
  PresenceDiff,
  PresencePage,
  RoomChange,
  RoomInfo,
  RoomMember,
  TypingNotice,
  User,
} from '@chat/contracts';
import {
  EMPTY_ROOM,
  TYPING_VISIBLE_MS,
  type ChatState,
  type PendingMessage,
  type RoomState,
} from './chat-state.js';
import { applyRead, countMention, guestRoomInfo, withInfo } from './read-state.js';
import { applyChange, applyJoined, applyMessage, mergePage } from './room-log.js';
import { applyRoomAdded, applyRoomRemoved, applyRoomsSnapshot, updateHeld } from './user-channel.js';

export type ChatAction =
  | { type: 'welcome'; user: User; limits: Limits }
  | { type: 'joined'; joined: Joined }
  | { type: 'message'; message: ChatMessage }
  /** A history page; `threadId` when it pages one thread (as asked: the answer does not say). */
  | { type: 'history'; page: HistoryPage; threadId?: string }
  /** An edit, delete, reaction or membership change of a room's log. */
  | { type: 'change'; change: RoomChange }
  | { type: 'rooms'; rooms: RoomInfo[] }
  | { type: 'roomAdded'; room: RoomInfo }
  | { type: 'roomRemoved'; room: string }
  /** Your read marker moved: `read` from another connection, or marked here. */
  | { type: 'read'; room: string; seq: number }
  | { type: 'mention'; mention: Mention }
  | { type: 'members'; room: string; members: RoomMember[] }
  | { type: 'openThread'; room: string; root: string }
  | { type: 'closeThread' }
  | { type: 'loadingOlder'; room: string }
  | { type: 'presence'; presence: Presence }
  | { type: 'presenceDiff'; diff: PresenceDiff }
  | { type: 'presenceCount'; count: PresenceCount }
  /** A `presence.list` went out: `more` continues the open list, otherwise a new one starts. */
  | { type: 'presenceListing'; room: string; q: string; more: boolean }
  | { type: 'presencePage'; page: PresencePage }
  | { type: 'closeOnline'; room: string }
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
      const { joined } = action;
      const next = updateRoom(state, joined.room, (kept) => {
        const room = applyJoined(kept, joined, state.me?.id);
        // A guest holds no membership, so the server sends it no RoomInfo: counts of unread are
        // kept here, from the room's position when it was joined.
        return state.me?.guest && !room.info ? withInfo(room, guestRoomInfo(joined)) : room;
      });
      return withoutDelivered(next, joined.messages);
    }
    case 'message': {
      const { message } = action;
      const next = updateRoom(state, message.room, (current) => applyMessage(current, message, state.me?.id));
      return withoutDelivered(next, [message]);
    }
    case 'change':
      return updateHeld(state, action.change.data.room, (current) =>
        applyChange(current, action.change, state.me?.id),
      );
    case 'history': {
      const { page, threadId } = action;
      const next = updateRoom(state, page.room, (current) => ({
        ...current,
        messages: mergePage(current.messages, page.messages),
        ...(threadId ? {} : { hasMore: page.hasMore, loadingOlder: false }),
      }));
      const thread = state.thread;
      if (!threadId || thread?.root !== threadId) return next;
      return { ...next, thread: { ...thread, loading: false, hasMore: page.hasMore } };
    }
    case 'rooms':
      return applyRoomsSnapshot(state, action.rooms);
    case 'roomAdded':
      return applyRoomAdded(state, action.room);
    case 'roomRemoved':
      return applyRoomRemoved(state, action.room);
    case 'read':
      return updateHeld(state, action.room, (current) => applyRead(current, action.seq, state.me?.id));
    case 'mention':
      return updateHeld(state, action.mention.room, (current) => countMention(current, action.mention.seq));
    case 'members':
      return updateHeld(state, action.room, (current) => ({ ...current, members: action.members }));
    case 'openThread':
      return { ...state, thread: { room: action.room, root: action.root, loading: true, hasMore: false } };
    case 'closeThread':
      return { ...state, thread: null };
    case 'loadingOlder':
      return updateRoom(state, action.room, (current) => ({ ...current, loadingOlder: true }));
    case 'presence': {
      const { room, users, more } = action.presence;
      return updateRoom(state, room, (current) => ({
        ...current,
        // A list too big for one frame comes in parts, `more` on all but the last: each adds.
        presence: current.presenceMore ? [...current.presence, ...users] : users,
        presenceMore: more === true,
        online: null,
      }));
    }
    case 'presenceCount':
      // A big room: the list is no longer kept current, the number is.
      return updateRoom(state, action.count.room, (current) => ({
        ...current,
        presence: [],
        online: action.count.online,
      }));
    case 'presenceListing':
      return updateRoom(state, action.room, (current) => ({
        ...current,
        onlinePage:
          action.more && current.onlinePage?.q === action.q
            ? { ...current.onlinePage, loading: true }
            : { q: action.q, users: [], next: undefined, loading: true },
      }));
    case 'presencePage': {
      const { room, users, next, q = '' } = action.page;
      return updateRoom(state, room, (current) => {
        const open = current.onlinePage;
        // An answer to a search that is no longer the one shown (or to a closed list).
        if (!open || open.q !== q) return current;
        const seen = new Set(open.users.map((u) => u.id));
        return {
          ...current,
          onlinePage: {
            q,
            users: [...open.users, ...users.filter((u) => !seen.has(u.id))],
            next,
            loading: false,
          },
        };
      });
    }
    case 'closeOnline':
      return updateRoom(state, action.room, (current) => ({ ...current, onlinePage: null }));
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
    case 'close':
      return applyRoomRemoved(state, action.room);
    case 'queued':
      // A clientId given again (a message kept elsewhere, sent twice by a crash) is one message.
      return {
        ...state,
        outbox: [...state.outbox.filter((p) => p.clientId !== action.pending.clientId), action.pending],
      };
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
      return { ...state, notice: null, noticeError: null };
    case 'serverNotice': {
      const { clientId, text } = action.notice;
      const outbox = clientId ? state.outbox.filter((p) => p.clientId !== clientId) : state.outbox;
      return { ...state, outbox, info: text === '' ? state.info : text };
    }
    case 'dismissInfo':
      return { ...state, info: null };
    case 'disconnected': {
      const rooms = new Map<string, RoomState>();
      for (const [name, room] of state.rooms)
        rooms.set(name, {
          ...room,
          presence: [],
          presenceMore: false,
          online: null,
          onlinePage: null,
          typing: [],
        });
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
  // Unread counts are the server's: they drop when the room is read (`read`), not when shown.
  const thread = state.thread?.room === room ? state.thread : null;
  return updateRoom({ ...state, active: room, thread }, room, (current) => current);
}

function applyError(state: ChatState, error: ErrorPayload): ChatState {
  const pending = error.clientId ? state.outbox.find((p) => p.clientId === error.clientId) : undefined;
  if (!pending) {
    // A refused join takes the room off the list: it would only be refused again. A passing
    // refusal (storage down, read quota spent) keeps it: useChat joins again later.
    const refusedJoin = error.event === 'join' && error.room && !TRANSIENT_JOIN_ERRORS.has(error.code);
    const next = refusedJoin ? chatReducer(state, { type: 'close', room: error.room! }) : state;
    return { ...next, notice: error.message, noticeError: error };
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
