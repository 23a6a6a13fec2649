import { createContext, useContext } from 'react';
import type { ChatMessage, User } from '@chat/contracts';

/** What a message on screen can do, and for whom: one provider per conversation (room or thread). */
export interface Conversation {
  me: User;
  /** You are an owner or moderator here: you may delete other people's messages. */
  canModerate: boolean;
  /** You may write (not muted, connected or not): reply, react and edit are offered. */
  canWrite: boolean;
  /** Whether replies here go into threads (false inside a thread panel: no threads of threads). */
  threads: boolean;
  reply: (message: ChatMessage) => void;
  react: (message: ChatMessage, emoji: string, on: boolean) => void;
  edit: (message: ChatMessage, text: string) => void;
  remove: (message: ChatMessage) => void;
  openThread: (message: ChatMessage) => void;
  /** Writes to this person directly (a DM); absent where that is not offered. */
  messageUser?: (user: User) => void;
  /** Shows (scrolls to and focuses) the message with this id, if it is loaded. */
  jumpTo: (id: string) => void;
  /** The message being edited in this conversation (an Up arrow in the composer picks one). */
  editing: string | null;
  /** Starts editing; focus goes back to `returnTo` (else the message) when done. */
  startEditing: (id: string, returnTo?: HTMLElement | null) => void;
  /** Stops editing and puts focus back where it came from, else on `message`. */
  stopEditing: (message: HTMLElement | null) => void;
}

export const ConversationContext = createContext<Conversation | null>(null);

export function useConversation(): Conversation {
  const conversation = useContext(ConversationContext);
  if (!conversation) throw new Error('a message is shown inside a ConversationContext provider');
  return conversation;
}

/** The id of a message's element, for jumping to it from a quote. */
export const messageElementId = (scope: string, id: string) => `${scope}-message-${id}`;

/**
 * Whether the controls of the message being drawn are in the tab order: only the current one's
 * are, so a list of a thousand messages is one tab stop, not thousands (arrow keys move between them).
 */
export const InTabOrder = createContext(true);

/** The tabIndex for a control inside a message: 0 in the current message, else -1. */
export function useMessageTabIndex(): 0 | -1 {
  return useContext(InTabOrder) ? 0 : -1;
}
