import type { UseChatResult } from '../../chat/useChat.js';
import { CreateRoomDialog } from './CreateRoomDialog.js';
import { RoomDirectory } from './RoomDirectory.js';
import { UsernameDialog } from './UsernameDialog.js';

/** The dialog on screen, if any. */
export type OpenDialog =
  { kind: 'directory' } | { kind: 'create' } | { kind: 'dm' } | { kind: 'invite'; room: string } | null;

/** Browse, create, write to someone, invite: one dialog at a time. */
export function ChatDialogs({
  dialog,
  chat,
  onClose,
}: {
  dialog: OpenDialog;
  chat: UseChatResult;
  onClose: () => void;
}) {
  switch (dialog?.kind) {
    case 'directory':
      return <RoomDirectory joined={chat.joined} onJoin={chat.openRoom} onClose={onClose} />;
    case 'create':
      return <CreateRoomDialog onCreate={chat.createRoom} onClose={onClose} />;
    case 'dm':
      return (
        <UsernameDialog
          title="New direct message"
          action="Open conversation"
          hint="Their username, as they sign in with it."
          onSubmit={chat.openDm}
          onClose={onClose}
        />
      );
    case 'invite': {
      const room = dialog.room;
      return (
        <UsernameDialog
          title={`Invite people to #${room}`}
          action="Invite"
          keepOpen
          onSubmit={(username) => chat.invite(room, username)}
          onClose={onClose}
        />
      );
    }
    default:
      return null;
  }
}
