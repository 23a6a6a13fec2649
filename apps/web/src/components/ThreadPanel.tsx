import { useRef } from 'react';
import type { ChatMessage, RoomInfo, User } from '@chat/contracts';
import type { PendingMessage, RoomState } from '@chat/client';
import type { SendOptions, UseChatResult } from '../chat/useChat.js';
import { useFileDrop } from './attachments/useFileDrop.js';
import { Composer } from './Composer.js';
import { ConversationContext } from './messages/ConversationContext.js';
import { StoredMessage } from './messages/StoredMessage.js';
import { useConversationScope } from './messages/useConversationScope.js';
import { MessageList } from './MessageList.js';

interface ThreadPanelProps {
  chat: UseChatResult;
  me: User;
  room: RoomState;
  info: RoomInfo | null;
  roomName: string;
  root: ChatMessage | undefined;
  rootId: string;
  maxLength: number;
  /** Closes the panel (focus then goes back to the room). */
  onClose: () => void;
}

/** A thread beside the room: its root, its replies, and a composer that replies in it. */
export function ThreadPanel(props: ThreadPanelProps) {
  const { chat, me, room, info, roomName, root, rootId, maxLength, onClose } = props;
  const composerRef = useRef<HTMLTextAreaElement>(null);
  const attach = useRef<((files: File[]) => void) | null>(null);
  const files = !me.guest;
  // Files dropped anywhere on the panel go to its composer: a thread is a narrow target already.
  const drop = useFileDrop(files ? (dropped) => attach.current?.(dropped) : undefined);
  const replies = room.messages.filter((m) => m.threadId === rootId);
  const pending = chat.outbox.filter((p: PendingMessage) => p.room === roomName && p.threadId === rootId);
  const scope = useConversationScope({
    me,
    room: roomName,
    info,
    scope: 'thread',
    messages: replies,
    actions: chat,
    composerRef,
  });
  const thread = chat.thread;
  const send = (text: string, attachments?: string[], clientId?: string) => {
    const options: SendOptions = { thread: { room: roomName, root: rootId }, attachments, clientId };
    if (scope.replyingTo) options.replyTo = scope.replyingTo.id;
    chat.send(text, options);
    scope.cancelReply();
  };

  return (
    <aside
      className={drop.over ? 'thread thread--drop' : 'thread'}
      aria-label="Thread"
      {...drop.handlers}
      onKeyDown={(event) => {
        if (event.key === 'Escape' && event.target === composerRef.current) onClose();
      }}
    >
      <header className="thread__header">
        <h2>Thread</h2>
        <button type="button" className="button--quiet" onClick={onClose}>
          Close thread
        </button>
      </header>
      <ConversationContext.Provider value={scope.conversation}>
        {root ? (
          <ol className="messages thread__root" aria-label="Thread root">
            <StoredMessage
              message={root}
              scope="thread-root"
              current={false}
              tabStop
              onFocused={() => undefined}
            />
          </ol>
        ) : (
          <p className="hint">The first message of this thread is further up in the room.</p>
        )}
        {replies.length > 0 && (
          <p className="thread__count">
            {(root?.thread?.replyCount ?? replies.length) === 1
              ? '1 reply'
              : `${root?.thread?.replyCount ?? replies.length} replies`}
          </p>
        )}
        <MessageList
          label="Replies"
          scope="thread"
          messages={replies}
          pending={pending}
          me={me}
          historyUntil={room.historyUntil}
          hasMore={thread?.hasMore ?? false}
          loadingOlder={thread?.loading ?? false}
          onLoadOlder={chat.loadOlderReplies}
          onRetry={chat.retry}
          onDiscard={chat.discard}
          onEscape={() => composerRef.current?.focus()}
          loading={thread?.loading ?? false}
          empty="No replies yet."
        />
        {scope.jumpMiss && (
          <p className="hint" role="status">
            {scope.jumpMiss}
          </p>
        )}
        <Composer
          id="thread-message"
          label="Reply in thread"
          inputRef={composerRef}
          onSend={send}
          files={files}
          // Its own waiting messages (files still uploading), back when the thread is opened again.
          outboxOwner={`${me.id} thread:${roomName}/${rootId}`}
          attachLabel="Attach files to the reply"
          attachRef={attach}
          onTyping={() => undefined}
          maxLength={maxLength}
          replyingTo={scope.replyingTo}
          onCancelReply={scope.cancelReply}
          onEditLast={scope.editLast}
          disabledReason={info?.muted ? 'You are muted here: you can read, not write' : undefined}
          hint="Enter to send, ↑ to edit your last reply"
        />
      </ConversationContext.Provider>
    </aside>
  );
}
