import { useEffect, useMemo, useRef, useState, type RefObject } from 'react';
import type { ChatMessage, RoomInfo, User } from '@chat/contracts';
import type { ConversationActions } from '../../chat/useConversationActions.js';
import { revealMessage } from '../list/reveal.js';
import { messageElementId, type Conversation } from './ConversationContext.js';

interface ScopeInput {
  me: User;
  room: string;
  info: RoomInfo | null;
  /** 'room' or 'thread'. */
  scope: 'room' | 'thread';
  /** The messages of this list, oldest first (for Up-arrow editing). */
  messages: ChatMessage[];
  actions: Pick<ConversationActions, 'edit' | 'remove' | 'react' | 'openThread'>;
  composerRef: RefObject<HTMLTextAreaElement | null>;
  /** Starts a DM with a message's author (not offered to guests). */
  messageUser?: (user: User) => void;
}

export interface ConversationScope {
  conversation: Conversation;
  replyingTo: ChatMessage | null;
  cancelReply: () => void;
  /** Up arrow in the empty composer: edits your last message here; false when there is none. */
  editLast: () => boolean;
  /** Said when a quote's original is not on screen. */
  jumpMiss: string | null;
}

/** The state of one conversation on screen (the room, or a thread): reply, edit, jump. */
export function useConversationScope(input: ScopeInput): ConversationScope {
  const { me, room, info, scope, messages, actions, composerRef, messageUser } = input;
  const [replyingTo, setReplyingTo] = useState<ChatMessage | null>(null);
  const [editing, setEditing] = useState<string | null>(null);
  const [jumpMiss, setJumpMiss] = useState<string | null>(null);
  const returnTo = useRef<HTMLElement | null>(null);
  const latest = useRef(messages);
  useEffect(() => {
    latest.current = messages;
  });
  const { edit, remove, react, openThread } = actions;

  const conversation = useMemo<Conversation>(
    () => ({
      me,
      canModerate: info?.role === 'owner' || info?.role === 'moderator',
      canWrite: !info?.muted,
      threads: scope === 'room',
      messageUser,
      reply: (message) => {
        setReplyingTo(message);
        composerRef.current?.focus();
      },
      react: (message, emoji, on) => react(room, message.id, emoji, on),
      edit: (message, text) => edit(room, message.id, text),
      remove: (message) => remove(room, message.id),
      openThread: (message) => openThread(room, message.id),
      jumpTo: (id) => {
        const find = () =>
          document.getElementById(messageElementId(scope, id)) ??
          document.getElementById(messageElementId('room', id));
        const show = (element: HTMLElement) => {
          setJumpMiss(null);
          element.scrollIntoView?.({ block: 'center' });
          element.focus({ preventScroll: true });
        };
        const element = find();
        if (element) return show(element);
        // Loaded but not drawn (the list is virtual): scroll the list there, then focus it.
        if (revealMessage(scope, id) || revealMessage('room', id)) {
          requestAnimationFrame(() =>
            requestAnimationFrame(() => {
              const drawn = find();
              if (drawn) show(drawn);
            }),
          );
          return;
        }
        setJumpMiss('The original message is further up: load older messages to see it.');
      },
      editing,
      startEditing: (id, from) => {
        returnTo.current = from ?? null;
        setEditing(id);
      },
      stopEditing: (message) => {
        setEditing(null);
        (returnTo.current ?? message)?.focus();
        returnTo.current = null;
      },
    }),
    [
      me,
      messageUser,
      info?.role,
      info?.muted,
      scope,
      room,
      edit,
      remove,
      react,
      openThread,
      composerRef,
      editing,
    ],
  );

  return {
    conversation,
    replyingTo,
    cancelReply: () => setReplyingTo(null),
    editLast: () => {
      const last = latest.current.findLast((m) => m.user.id === me.id && !m.deleted);
      if (!last || info?.muted) return false;
      conversation.startEditing(last.id, composerRef.current);
      return true;
    },
    jumpMiss,
  };
}
