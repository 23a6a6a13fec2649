import type { ChatMessage, Limits, RoomInfo, User } from '@chat/contracts';
import { chatReducer, type ChatAction } from '../chat/chat-reducer.js';
import { initialChatState, type ChatState, type PendingMessage } from '../chat/chat-state.js';

/** The time every fixture carries: tests compare what the client does, not when. */
export const T0 = '2026-01-01T00:00:00.000Z';

/** The signed-in user of most specs: a guest (an account is `{ ...me, guest: false }`). */
export const me: User = { id: 'u-me', name: 'Me', guest: true };
/** Whoever wrote the messages that are not mine. */
export const other: User = { id: 'u-other', name: 'Other', guest: true };

/** What a server publishes in `welcome` (the real defaults' shape). */
export const LIMITS: Limits = {
  maxTextLength: 4000,
  maxFrameBytes: 65536,
  sendRatePerSec: 10,
  sendBurst: 20,
  maxRoomsPerConnection: 50,
  heartbeatMs: 25000,
};

/** Message `seq` of `general`, id `m<seq>`, by {@link other}; `extra` overrides any field. */
export const chatMessage = (seq: number, extra: Partial<ChatMessage> = {}): ChatMessage => ({
  id: `m${seq}`,
  room: 'general',
  seq,
  user: other,
  text: `t${seq}`,
  time: T0,
  ...extra,
});

/** A public room I am a member of, nothing in it yet; `extra` overrides any field. */
export const roomInfo = (name: string, extra: Partial<RoomInfo> = {}): RoomInfo => ({
  name,
  kind: 'public',
  role: 'member',
  memberCount: 2,
  lastSeq: 0,
  readSeq: 0,
  unread: 0,
  mentions: 0,
  lastActivity: null,
  ...extra,
});

/** A message of mine in `general` still waiting for its ack. */
export const pendingMessage = (clientId: string, extra: Partial<PendingMessage> = {}): PendingMessage => ({
  clientId,
  room: 'general',
  text: 'hello',
  status: 'sending',
  createdAt: T0,
  ...extra,
});

/** The reducer over several actions, in order. */
export const applyAll = (state: ChatState, ...actions: ChatAction[]): ChatState =>
  actions.reduce(chatReducer, state);

/** The state right after `welcome`: `joined` restored from storage (the last one active), as `user`. */
export const welcomed = ({ joined = ['general'], user = me }: { joined?: string[]; user?: User } = {}) =>
  chatReducer(initialChatState(joined, joined.at(-1)!, []), { type: 'welcome', user, limits: LIMITS });
