import type { RoomInfo } from '@chat/contracts';
import { RoomLabel } from './rooms/RoomLabel.js';

interface RoomHeaderProps {
  name: string;
  info: RoomInfo | null;
  /** Offered where you may add people: any member of a public room, owners and moderators of a private one. */
  onInvite?: () => void;
}

/** The room's name (`# design`, a lock, or the person of a DM), its topic, and Invite. */
export function RoomHeader({ name, info, onInvite }: RoomHeaderProps) {
  return (
    <div className="room-header">
      <h2 className="app__room">
        <RoomLabel name={name} info={info} />
      </h2>
      {info?.topic && (
        <p className="room-header__topic" dir="auto">
          {info.topic}
        </p>
      )}
      {info?.muted && <p className="room-header__muted">You are muted here: you can read, not write.</p>}
      {onInvite && (
        <button type="button" className="button--quiet room-header__invite" onClick={onInvite}>
          Invite people
        </button>
      )}
    </div>
  );
}

/** Whether you may invite people to this room. */
export function canInvite(info: RoomInfo | null): boolean {
  if (!info || info.kind === 'dm') return false;
  return info.kind === 'public' || info.role === 'owner' || info.role === 'moderator';
}
