import { useCallback, useEffect, useRef, useState } from 'react';
import type { SearchHit, User } from '@chat/contracts';
import { sidebarOrder } from '@chat/client';
import { useChat } from '../chat/useChat.js';
import { useDocumentTitle } from '../hooks/useDocumentTitle.js';
import { useFavicon } from '../hooks/useFavicon.js';
import { useRoomShortcuts } from '../hooks/useRoomShortcuts.js';
import { useSearchShortcut } from '../hooks/useSearchShortcut.js';
import { useUnseenWhileHidden } from '../hooks/useUnseenWhileHidden.js';
import { useNotifications } from '../notifications/useNotifications.js';
import { AppHeader } from './AppHeader.js';
import { ChatDialogs, type OpenDialog } from './dialogs/ChatDialogs.js';
import { MemberList } from './MemberList.js';
import { messageElementId } from './messages/ConversationContext.js';
import { NotificationPrompt } from './NotificationPrompt.js';
import { Toasts } from './notices/Toasts.js';
import { PresenceList } from './PresenceList.js';
import { canInvite, RoomHeader } from './RoomHeader.js';
import { RoomList } from './RoomList.js';
import { roomTitle } from './rooms/RoomLabel.js';
import { RoomView } from './RoomView.js';
import { JumpView } from './search/JumpView.js';
import { SearchDialog } from './search/SearchDialog.js';
import { ThreadPanel } from './ThreadPanel.js';

const DEFAULT_MAX_TEXT_LENGTH = 4000;

interface ChatViewProps {
  user: User;
  onSignOut: (reason?: string) => void;
}

/**
 * The signed-in app: rooms, DMs and people on the side (behind a toggle on phones), the active
 * room's conversation in the middle, an open thread beside it.
 */
export function ChatView({ user, onSignOut }: ChatViewProps) {
  const chat = useChat(user);
  const room = chat.rooms.get(chat.active);
  const info = room?.info ?? null;
  const me = chat.me ?? user;
  const { lastClose } = chat.connection;
  const [sideOpen, setSideOpen] = useState(false);
  const [dialog, setDialog] = useState<OpenDialog>(null);
  const [searching, setSearching] = useState(false);
  const [jump, setJump] = useState<{ room: string; around: number; messageId: string } | null>(null);
  const composerRef = useRef<HTMLTextAreaElement>(null);
  const toggleRef = useRef<HTMLButtonElement>(null);
  const order = sidebarOrder(chat.joined, chat.rooms);
  const maxLength = chat.limits?.maxTextLength ?? DEFAULT_MAX_TEXT_LENGTH;

  // The panel (phones) hides what has focus when it closes: give focus back to its toggle.
  const closeSide = () => {
    if (!sideOpen) return;
    setSideOpen(false);
    toggleRef.current?.focus();
  };
  const select = (name: string) => {
    chat.selectRoom(name);
    closeSide();
  };
  const notifications = useNotifications(chat.onArrival, me.id, chat.selectRoom);
  const unseen = useUnseenWhileHidden(chat.onArrival, chat.active, me.id);
  const unread = chat.joined.reduce((sum, name) => sum + (chat.rooms.get(name)?.info?.unread ?? 0), 0);
  // Once the server counts (it covers the room on screen too), its count is the whole truth.
  const waiting = chat.roomsKnown ? unread : unread + unseen;
  useDocumentTitle(waiting > 0 ? `(${waiting}) Chat` : 'Chat');
  useFavicon(waiting > 0);
  useRoomShortcuts(order, chat.active, chat.selectRoom);
  useSearchShortcut(() => setSearching(true));
  // A thread reply opens the room at its root, with the thread beside it.
  const openHit = (hit: SearchHit) => {
    const root = hit.message.threadId;
    chat.openRoom(hit.room);
    setJump({ room: hit.room, around: hit.aroundSeq, messageId: root ?? hit.message.id });
    if (root) chat.openThread(hit.room, root);
    closeSide();
  };
  const { openDm, loadMembers, showFailure } = chat;
  const messageUser = useCallback(
    (person: User) => void openDm(person.name).catch(showFailure),
    [openDm, showFailure],
  );
  const load = useCallback((name: string) => void loadMembers(name).catch(() => undefined), [loadMembers]);
  const { listOnline, closeOnline, active } = chat;
  const listOnlineHere = useCallback(
    (q: string, more: boolean) => listOnline(active, { q, more }),
    [listOnline, active],
  );
  const closeOnlineHere = useCallback(() => closeOnline(active), [closeOnline, active]);

  // The server refused our identity (expired or tampered token): ask to sign in again.
  useEffect(() => {
    if (lastClose?.final && lastClose.code === 4401)
      onSignOut('Your session is no longer valid. Please sign in again.');
  }, [lastClose, onSignOut]);

  // Another room on screen ends the jump: coming back shows the room live.
  const [shownRoom, setShownRoom] = useState(chat.active);
  if (shownRoom !== chat.active) {
    setShownRoom(chat.active);
    if (jump && jump.room !== chat.active) setJump(null);
  }

  const header = (
    <>
      <RoomHeader
        name={chat.active}
        info={info}
        onInvite={
          canInvite(info) && !me.guest ? () => setDialog({ kind: 'invite', room: chat.active }) : undefined
        }
      />
    </>
  );
  const thread = chat.thread?.room === chat.active ? chat.thread : null;
  const classes = ['app', sideOpen && 'app--side-open', thread && 'app--thread'];
  return (
    <div className={classes.filter(Boolean).join(' ')}>
      <AppHeader
        me={me}
        connection={chat.connection}
        pending={chat.outbox.filter((p) => p.status === 'sending').length}
        sideOpen={sideOpen}
        unread={unread}
        toggleRef={toggleRef}
        onToggleSide={() => setSideOpen((open) => !open)}
        onSignOut={() => onSignOut()}
        onSearch={() => setSearching(true)}
      />
      <aside
        id="side"
        className="app__side"
        aria-label="Rooms and people"
        onKeyDown={(event) => event.key === 'Escape' && closeSide()}
      >
        <RoomList
          order={order}
          active={chat.active}
          rooms={chat.rooms}
          canCreate={!me.guest}
          onSelect={select}
          onOpen={(name) => {
            chat.openRoom(name);
            closeSide();
          }}
          onLeave={(name) => void chat.leave(name).catch(chat.showFailure)}
          onBrowse={() => setDialog({ kind: 'directory' })}
          onCreate={() => setDialog({ kind: 'create' })}
          onNewDm={() => setDialog({ kind: 'dm' })}
        />
        <PresenceList
          users={room?.presence ?? []}
          me={me}
          known={chat.connection.status === 'open'}
          online={room?.online ?? null}
          page={room?.onlinePage ?? null}
          onList={listOnlineHere}
          onClose={closeOnlineHere}
        />
        {notifications.offer && (
          <NotificationPrompt onEnable={notifications.enable} onDismiss={notifications.dismiss} />
        )}
        {info && (
          <MemberList
            room={chat.active}
            members={room?.members ?? null}
            me={me}
            onLoad={load}
            onMessage={me.guest ? undefined : messageUser}
          />
        )}
      </aside>
      <main className="app__main">
        {jump?.room === chat.active ? (
          <JumpView
            key={`${jump.room}:${jump.messageId}`}
            chat={chat}
            me={me}
            name={chat.active}
            info={info}
            around={jump.around}
            messageId={jump.messageId}
            onLeave={() => {
              setJump(null);
              // The live room comes back with its composer: writing is what comes next.
              requestAnimationFrame(() => composerRef.current?.focus());
            }}
            header={header}
          />
        ) : (
          <RoomView
            key={chat.active}
            chat={chat}
            me={me}
            name={chat.active}
            room={room}
            composerRef={composerRef}
            maxLength={maxLength}
            onMessageUser={me.guest ? undefined : messageUser}
            header={header}
          />
        )}
      </main>
      {thread && room && (
        <ThreadPanel
          key={thread.root}
          chat={chat}
          me={me}
          room={room}
          info={info}
          roomName={chat.active}
          root={room.messages.find((m) => m.id === thread.root)}
          rootId={thread.root}
          maxLength={maxLength}
          onClose={() => {
            chat.closeThread();
            // Back to where the thread came from: its root in the room, else the room's composer.
            const origin = document.getElementById(messageElementId('room', thread.root));
            (origin ?? composerRef.current)?.focus();
          }}
        />
      )}
      <Toasts
        info={chat.info}
        onDismissInfo={chat.dismissInfo}
        notice={chat.notice}
        noticeError={chat.noticeError}
        onDismissNotice={chat.dismissNotice}
        onFix={(fix) => (fix === 'reload' ? window.location.reload() : onSignOut('Please sign in again.'))}
      />
      <ChatDialogs dialog={dialog} chat={chat} onClose={() => setDialog(null)} />
      {searching && (
        <SearchDialog
          roomLabel={(name) => roomTitle(name, chat.rooms.get(name)?.info)}
          onJump={openHit}
          onClose={() => setSearching(false)}
        />
      )}
    </div>
  );
}
