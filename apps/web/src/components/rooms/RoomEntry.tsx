import { DEFAULT_ROOM, UNREAD_COUNT_MAX, type RoomInfo } from '@chat/contracts';
import { RoomLabel, roomTitle } from './RoomLabel.js';

interface RoomEntryProps {
  name: string;
  info: RoomInfo | null | undefined;
  active: boolean;
  onSelect: (room: string) => void;
  onLeave: (room: string) => void;
}

/** The server counts up to UNREAD_COUNT_MAX: past it, say so rather than a number that stopped. */
export function badgeCount(count: number): string {
  return count >= UNREAD_COUNT_MAX ? `${UNREAD_COUNT_MAX - 1}+` : String(count);
}

/** One room or DM of the sidebar: its name, unread and mention badges (the server's), and Leave. */
export function RoomEntry({ name, info, active, onSelect, onLeave }: RoomEntryProps) {
  const unread = info?.unread ?? 0;
  const mentions = info?.mentions ?? 0;
  const title = roomTitle(name, info);
  return (
    <li className={active ? 'room room--active' : 'room'}>
      <button
        type="button"
        className={unread > 0 ? 'room__button room__button--unread' : 'room__button'}
        aria-current={active ? 'page' : undefined}
        data-title={title}
        onClick={() => onSelect(name)}
      >
        <span className="room__name">
          <RoomLabel name={name} info={info} />
        </span>
        {mentions > 0 && (
          <span className="badge badge--mention">
            @{badgeCount(mentions)}
            <span className="visually-hidden"> {mentions === 1 ? 'mention' : 'mentions'}</span>
          </span>
        )}
        {unread > 0 && (
          <span className="badge">
            {badgeCount(unread)}
            <span className="visually-hidden"> unread</span>
          </span>
        )}
      </button>
      {name !== DEFAULT_ROOM && (
        <button
          type="button"
          className="room__leave"
          aria-label={`Leave ${info?.kind === 'dm' ? title : name}`}
          title={`Leave ${info?.kind === 'dm' ? title : name}`}
          onClick={() => onLeave(name)}
        >
          ×
        </button>
      )}
    </li>
  );
}
