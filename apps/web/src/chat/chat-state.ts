import type { ChatMessage, ErrorPayload, Joined, Limits, User } from '@chat/contracts';

/** A message the user wrote that the server has not acknowledged yet. */
export interface PendingMessage {
  clientId: string;
  room: string;
  text: string;
  /** `sending` is retried on every reconnect; `failed` waits for the user to retry or discard. */
  status: 'sending' | 'failed';
  error?: string;
  createdAt: string;
}

export interface RoomState {
  /** Ordered by seq, each id once. */
  messages: ChatMessage[];
  /** Highest seq received: the resume point. */
  lastSeq: number;
  /** Older messages exist on the server than the first one here. */
  hasMore: boolean;
}

export interface ChatState {
  me: User | null;
  /** What the server enforces, from its welcome. */
  limits: Limits | null;
  rooms: Record<string, RoomState>;
  outbox: PendingMessage[];
  /** The latest error not tied to a message, for a notice the user can dismiss. */
  notice: string | null;
}

export type ChatAction =
  | { type: 'welcome'; user: User; limits: Limits }
  | { type: 'joined'; joined: Joined }
  | { type: 'message'; message: ChatMessage }
  | { type: 'queued'; pending: PendingMessage }
  | { type: 'acked'; clientId: string }
  | { type: 'error'; error: ErrorPayload }
  | { type: 'retry'; clientId: string }
  | { type: 'discard'; clientId: string }
  | { type: 'dismissNotice' };

export const initialChatState: ChatState = { me: null, limits: null, rooms: {}, outbox: [], notice: null };

const EMPTY_ROOM: RoomState = { messages: [], lastSeq: 0, hasMore: false };

/** Errors after which sending the same message again cannot succeed. */
const PERMANENT_ERRORS = new Set(['bad_request', 'too_large', 'forbidden', 'not_found']);

export function chatReducer(state: ChatState, action: ChatAction): ChatState {
  switch (action.type) {
    case 'welcome':
      return { ...state, me: action.user, limits: action.limits };
    case 'joined': {
      const { room, messages, hasMore, lastSeq } = action.joined;
      const current = state.rooms[room] ?? EMPTY_ROOM;
      // A fresh join (hasMore with a gap) replaces nothing we already have; merge keeps ids unique.
      const merged = mergeMessages(current.messages, messages);
      const next: RoomState = {
        messages: merged,
        lastSeq: Math.max(current.lastSeq, lastSeq, merged.at(-1)?.seq ?? 0),
        hasMore: current.messages.length === 0 ? hasMore : current.hasMore || hasMore,
      };
      return withoutDelivered({ ...state, rooms: { ...state.rooms, [room]: next } }, messages);
    }
    case 'message': {
      const { message } = action;
      const current = state.rooms[message.room] ?? EMPTY_ROOM;
      const room: RoomState = {
        ...current,
        messages: mergeMessages(current.messages, [message]),
        lastSeq: Math.max(current.lastSeq, message.seq),
      };
      return withoutDelivered({ ...state, rooms: { ...state.rooms, [message.room]: room } }, [message]);
    }
    case 'queued':
      return { ...state, outbox: [...state.outbox, action.pending] };
    case 'acked':
      return { ...state, outbox: state.outbox.filter((p) => p.clientId !== action.clientId) };
    case 'error': {
      const { error } = action;
      const failed = error.clientId && state.outbox.some((p) => p.clientId === error.clientId);
      if (!failed) return { ...state, notice: error.message };
      if (!PERMANENT_ERRORS.has(error.code)) return state; // retried on the next reconnect
      return {
        ...state,
        outbox: state.outbox.map((p) =>
          p.clientId === error.clientId ? { ...p, status: 'failed', error: error.message } : p,
        ),
      };
    }
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
  }
}

/** Adds messages, keeping seq order and dropping ids already present. */
export function mergeMessages(current: ChatMessage[], incoming: ChatMessage[]): ChatMessage[] {
  const known = new Set(current.map((m) => m.id));
  const fresh = incoming.filter((m) => !known.has(m.id));
  if (fresh.length === 0) return current;
  const last = current.at(-1);
  if (last && fresh.every((m) => m.seq > last.seq) && isSorted(fresh)) return [...current, ...fresh];
  return [...current, ...fresh].sort((a, b) => a.seq - b.seq);
}

function isSorted(messages: ChatMessage[]): boolean {
  return messages.every((m, i) => i === 0 || messages[i - 1]!.seq < m.seq);
}

/** A pending message is done once its stored copy has arrived (even if its ack was lost). */
function withoutDelivered(state: ChatState, messages: ChatMessage[]): ChatState {
  const me = state.me;
  if (!me || state.outbox.length === 0) return state;
  const delivered = new Set(messages.filter((m) => m.user.id === me.id && m.clientId).map((m) => m.clientId));
  if (delivered.size === 0) return state;
  return { ...state, outbox: state.outbox.filter((p) => !delivered.has(p.clientId)) };
}
