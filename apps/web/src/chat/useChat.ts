import type { User } from '@chat/contracts';
import { chatSocketUrl } from '@chat/client';
import { useChat as useChatSession, type UseChatResult as SessionResult } from '@chat/client/react';
import { useConversationActions, type ConversationActions } from './useConversationActions.js';

export type { ArrivalListener, SendOptions } from '@chat/client';

export interface UseChatResult extends SessionResult, ConversationActions {}

/**
 * The chat of the signed-in user: `@chat/client`'s session (rooms, resume, outbox, order) with
 * this app's HTTP calls for rooms and members. `url` is the WebSocket endpoint (this page's own
 * `/ws` unless given, as in tests).
 */
export function useChat(user: User, url: string = chatSocketUrl()): UseChatResult {
  const chat = useChatSession(user, url);
  const http = useConversationActions(chat.session);
  return { ...chat, ...http };
}
