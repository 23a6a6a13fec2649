import { useState, type ReactNode, type RefObject } from 'react';
import type { User } from '@chat/contracts';
import type { RoomState } from '@chat/client';
import { readableSeq } from '@chat/client';
import type { UseChatResult } from '../chat/useChat.js';
import { Composer } from './Composer.js';
import { ConversationContext } from './messages/ConversationContext.js';
import { useConversationScope } from './messages/useConversationScope.js';
import { MessageList } from './MessageList.js';
import { roomTitle } from './rooms/RoomLabel.js';
import { TypingLine } from './TypingLine.js';

interface RoomViewProps {
  chat: UseChatResult;
  me: User;
  name: string;
  room: RoomState | undefined;
  composerRef: RefObject<HTMLTextAreaElement | null>;
  maxLength: number;
  onMessageUser?: (user: User) => void;
  /** Above the messages: header and notices. */
  header: ReactNode;
}

/**
 * The room on screen: its main conversation (thread replies are in the thread panel), the
 * "New messages" line at your read marker, and the composer (reply, Up arrow to edit).
 */
export function RoomView({
  chat,
  me,
  name,
  room,
  composerRef,
  maxLength,
  onMessageUser,
  header,
}: RoomViewProps) {
  const info = room?.info ?? null;
  const messages = (room?.messages ?? []).filter((m) => !m.threadId);
  const scope = useConversationScope({
    me,
    room: name,
    info,
    scope: 'room',
    messages,
    actions: chat,
    composerRef,
    messageUser: onMessageUser,
  });
  // The marker as it was when the room came on screen, if something was unread then: the line
  // stays while you read on, and what arrives while you watch draws none (undefined: not known yet).
  const [marker, setMarker] = useState<number | null | undefined>(undefined);
  if (marker === undefined && info) setMarker(info.unread > 0 ? info.readSeq : null);
  const send = (text: string, attachments?: string[], clientId?: string) => {
    chat.send(text, {
      ...(scope.replyingTo && { replyTo: scope.replyingTo.id }),
      room: name,
      attachments,
      clientId,
    });
    scope.cancelReply();
  };

  return (
    <ConversationContext.Provider value={scope.conversation}>
      {header}
      <MessageList
        label={`Messages in ${roomTitle(name, info)}`}
        scope="room"
        messages={messages}
        pending={chat.outbox.filter((p) => p.room === name && !p.threadId)}
        me={me}
        historyUntil={room?.historyUntil ?? null}
        marker={marker}
        newestSeq={room ? readableSeq(room) : 0}
        onSeen={info ? (seq) => chat.markRead(name, seq) : undefined}
        hasMore={room?.hasMore ?? false}
        loadingOlder={room?.loadingOlder ?? false}
        onLoadOlder={() => chat.loadOlder(name)}
        onRetry={chat.retry}
        onDiscard={chat.discard}
        onEscape={() => composerRef.current?.focus()}
        // Until the room's first page is in (its first `joined`), nothing is known of its messages.
        loading={(room?.historyUntil ?? null) === null}
      />
      {scope.jumpMiss && (
        <p className="hint" role="status">
          {scope.jumpMiss}
        </p>
      )}
      <Composer
        label={info?.kind === 'dm' && info.dmWith ? `Message ${info.dmWith.name}` : `Message #${name}`}
        inputRef={composerRef}
        onSend={send}
        files={!me.guest}
        outboxOwner={`${me.id} room:${name}`}
        onTyping={chat.notifyTyping}
        maxLength={maxLength}
        status={<TypingLine typing={room?.typing ?? []} />}
        replyingTo={scope.replyingTo}
        onCancelReply={scope.cancelReply}
        onEditLast={scope.editLast}
        disabledReason={info?.muted ? 'You are muted here: you can read, not write' : undefined}
      />
    </ConversationContext.Provider>
  );
}
