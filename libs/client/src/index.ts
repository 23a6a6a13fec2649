/**
 * @chat/client: the framework-free chat client (socket, reconnection, resume, outbox, dedupe,
 * room state). React hooks are in `@chat/client/react`.
 */
export { ChatSession } from './session/chat-session.js';
export type {
  ArrivalListener,
  ChatSessionOptions,
  ChatSnapshot,
  DeliveredListener,
  FrameListener,
  SendOptions,
} from './session/types.js';
export * from './socket/index.js';
export { ArrivalTracker } from './chat/arrivals.js';
export { chatReducer, type ChatAction } from './chat/chat-reducer.js';
export {
  EMPTY_ROOM,
  TYPING_VISIBLE_MS,
  contiguousEnd,
  gapAfter,
  initialChatState,
  mergeMessages,
  sidebarOrder,
  type ChatState,
  type PendingMessage,
  type RoomState,
  type TypingUser,
} from './chat/chat-state.js';
export { handleConversationFrame, type ConversationEffects } from './chat/conversation-frames.js';
export { chatSocketUrl, frame } from './chat/frames.js';
export {
  defaultStorage,
  loadOutbox,
  loadRooms,
  saveOutbox,
  saveRooms,
  type StorageLike,
} from './chat/persistence.js';
export { readableSeq } from './chat/read-state.js';
export { MAX_IN_FLIGHT, SendPacer, type PacingLimits, type SendPacerOptions } from './chat/send-pacer.js';
export { timeline, type TimelineEntry } from './chat/timeline.js';
export { TokenBucket } from './rate/token-bucket.js';
