import type { RoomInfo } from '@chat/contracts';
import { UserName } from '../UserName.js';

/** How a room is named on screen: `# name`, a lock for a private one, the person for a DM. */
export function RoomLabel({ name, info }: { name: string; info: RoomInfo | null | undefined }) {
  if (info?.kind === 'dm' && info.dmWith) return <UserName user={info.dmWith} />;
  if (info?.kind === 'private') {
    return (
      <span className="room-label">
        <span aria-hidden="true" className="room-label__mark">
          🔒
        </span>
        <span className="visually-hidden">private room </span>
        {name}
      </span>
    );
  }
  return <span className="room-label"># {name}</span>;
}

/** The same as text, for titles and labels. */
export function roomTitle(name: string, info: RoomInfo | null | undefined): string {
  if (info?.kind === 'dm' && info.dmWith) return info.dmWith.name;
  return `# ${name}`;
}
