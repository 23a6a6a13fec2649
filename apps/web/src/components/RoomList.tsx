import type { RoomState } from '@chat/client';
import { QuickJoin } from './rooms/QuickJoin.js';
import { RoomEntry } from './rooms/RoomEntry.js';

interface RoomListProps {
  /** In sidebar order (see sidebarOrder). */
  order: string[];
  active: string;
  rooms: ReadonlyMap<string, RoomState>;
  /** Accounts create rooms and open DMs; guests do neither. */
  canCreate: boolean;
  onSelect: (room: string) => void;
  /** Joins (or, for accounts, creates) a room by name. */
  onOpen: (room: string) => void;
  onLeave: (room: string) => void;
  onBrowse: () => void;
  onCreate: () => void;
  onNewDm: () => void;
}

/** The user's rooms and DMs, in two sections, with what to do next: browse, create, write to someone. */
export function RoomList(props: RoomListProps) {
  const { order, active, rooms, onSelect, onLeave } = props;
  const isDm = (name: string) =>
    (rooms.get(name)?.info?.kind ?? (name.startsWith('dm-') ? 'dm' : 'public')) === 'dm';
  const section = (names: string[]) => (
    <ul>
      {names.map((name) => (
        <RoomEntry
          key={name}
          name={name}
          info={rooms.get(name)?.info}
          active={name === active}
          onSelect={onSelect}
          onLeave={onLeave}
        />
      ))}
    </ul>
  );
  const dms = order.filter(isDm);
  return (
    <nav className="rooms" aria-label="Rooms and direct messages">
      <section aria-labelledby="rooms-heading">
        <div className="rooms__heading">
          <h2 id="rooms-heading">Rooms</h2>
          {props.canCreate && (
            <button
              type="button"
              className="icon-button"
              aria-label="Create a room"
              title="Create a room"
              onClick={props.onCreate}
            >
              +
            </button>
          )}
        </div>
        {section(order.filter((name) => !isDm(name)))}
        <button type="button" className="link-button rooms__browse" onClick={props.onBrowse}>
          Browse rooms
        </button>
        <QuickJoin canCreate={props.canCreate} onOpen={props.onOpen} />
      </section>
      {(props.canCreate || dms.length > 0) && (
        <section aria-labelledby="dms-heading" className="rooms__dms">
          <div className="rooms__heading">
            <h2 id="dms-heading">Direct messages</h2>
            {props.canCreate && (
              <button
                type="button"
                className="icon-button"
                aria-label="New direct message"
                title="New direct message"
                onClick={props.onNewDm}
              >
                +
              </button>
            )}
          </div>
          {dms.length > 0 ? section(dms) : <p className="hint rooms__none">No direct messages yet.</p>}
        </section>
      )}
      <p className="rooms__shortcut hint">
        <kbd>Alt</kbd>+<kbd>↑</kbd>/<kbd>↓</kbd> switches rooms
      </p>
    </nav>
  );
}
