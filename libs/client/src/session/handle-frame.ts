import { DEFAULT_ROOM, type ChatMessage, type ErrorCode, type ServerFrame } from '@chat/contracts';
import type { ArrivalTracker } from '../chat/arrivals.js';
import type { ChatAction } from '../chat/chat-reducer.js';
import type { ChatState } from '../chat/chat-state.js';
import { handleConversationFrame } from '../chat/conversation-frames.js';
import type { OutboxSender } from './outbox-sender.js';
import type { RoomJoins } from './room-joins.js';

/** A send refused for a passing reason (storage down, rate limit) is tried again after this long. */
const RETRY_TRANSIENT_MS = 3000;
/** Refusals of a send that say "later": the message stays in the outbox and goes again. */
const TRANSIENT_ERRORS: ReadonlySet<ErrorCode> = new Set(['unavailable', 'rate_limited', 'internal']);

/** What the frame handler reads and drives: the session's parts, without the session. */
export interface FrameContext {
  state: () => ChatState;
  dispatch: (action: ChatAction) => void;
  joins: RoomJoins;
  outbox: OutboxSender;
  arrivals: ArrivalTracker;
  /** What each `history` request on this socket pages, in order. */
  historyAsked: (string | undefined)[];
  announce: (messages: readonly ChatMessage[]) => void;
  /** Whether the user is a guest (holds no server-side membership). */
  guest: () => boolean;
  retryTimer: ReturnType<typeof setTimeout> | undefined;
  /** Joins refused by the read quota, asked again once its wait is over (one timer per room). */
  joinRetries: Map<string, ReturnType<typeof setTimeout>>;
}

/** One server frame: the reducer's action and what it means for the socket (joins, sends, timers). */
export function handleFrame(ctx: FrameContext, incoming: ServerFrame): void {
  const { dispatch, joins, outbox } = ctx;
  switch (incoming.event) {
    case 'welcome':
      joins.reset();
      ctx.historyAsked.length = 0;
      // Every room is joined anew below: a retry still waiting would only cost another read.
      for (const timer of ctx.joinRetries.values()) clearTimeout(timer);
      ctx.joinRetries.clear();
      dispatch({ type: 'welcome', user: incoming.data.user, limits: incoming.data.limits });
      outbox.connected(incoming.data.limits);
      // Which other rooms are ours the server says next (`rooms`): joining a room from an old
      // list would make us a member again of a public room left on another device.
      joins.join(DEFAULT_ROOM);
      return;
    case 'joined': {
      const { room, messages, lastSeq } = incoming.data;
      joins.joining.delete(room);
      dispatch({ type: 'joined', joined: incoming.data });
      outbox.settleMine(messages);
      ctx.announce(ctx.arrivals.joined(room, messages, lastSeq));
      joins.joined(room);
      outbox.flush(room);
      return;
    }
    case 'message':
      dispatch({ type: 'message', message: incoming.data });
      outbox.settleMine([incoming.data]);
      if (ctx.arrivals.message(incoming.data)) ctx.announce([incoming.data]);
      return;
    case 'history': {
      // Servers echo the thread a page is of; older ones did not: then the order of asking says.
      const asked = ctx.historyAsked.shift();
      dispatch({ type: 'history', page: incoming.data, threadId: incoming.data.threadId ?? asked });
      return;
    }
    case 'ack':
      dispatch({ type: 'acked', clientId: incoming.data.clientId });
      outbox.pacer.settled(incoming.data.clientId);
      return;
    case 'presence':
      dispatch({ type: 'presence', presence: incoming.data });
      return;
    case 'presence.diff':
      dispatch({ type: 'presenceDiff', diff: incoming.data });
      return;
    case 'typing':
      dispatch({ type: 'typing', notice: incoming.data, now: Date.now() });
      return;
    case 'notice':
      dispatch({ type: 'serverNotice', notice: incoming.data });
      if (incoming.data.clientId) outbox.pacer.settled(incoming.data.clientId);
      return;
    case 'error':
      handleError(ctx, incoming.data);
      return;
    default:
      handleConversationFrame(incoming, dispatch, {
        joinAll: (rooms) => {
          // A guest's rooms are this browser's (the server holds no guest membership, so its
          // `rooms` lists none): the ones it holds are joined too.
          const all = ctx.guest() ? new Set([...ctx.state().joined, ...rooms]) : rooms;
          all.forEach((room) => joins.ensureJoined(room));
        },
        forget: (room) => joins.forget(room),
      });
  }
}

function handleError(ctx: FrameContext, error: ServerFrame<'error'>['data']): void {
  const { joins, outbox } = ctx;
  if (error.event === 'history') ctx.historyAsked.shift();
  if (error.event === 'join' && error.room) joins.joining.delete(error.room);
  ctx.dispatch({ type: 'error', error });
  if (error.clientId) outbox.pacer.settled(error.clientId);
  if (error.event === 'join' && error.room && error.code === 'rate_limited')
    retryJoin(ctx, error.room, error.retryAfterMs ?? RETRY_TRANSIENT_MS);
  if (error.clientId && TRANSIENT_ERRORS.has(error.code)) {
    clearTimeout(ctx.retryTimer);
    ctx.retryTimer = setTimeout(() => outbox.flush(), RETRY_TRANSIENT_MS * (0.5 + Math.random()));
  }
}

function retryJoin(ctx: FrameContext, room: string, afterMs: number): void {
  clearTimeout(ctx.joinRetries.get(room));
  const timer = setTimeout(
    () => {
      ctx.joinRetries.delete(room);
      if (ctx.state().joined.includes(room) && !ctx.joins.live.has(room)) ctx.joins.join(room);
    },
    // Spread out, so a crowd refused together (a NAT reconnecting) does not come back together.
    afterMs * (1 + Math.random() / 2),
  );
  ctx.joinRetries.set(room, timer);
}
