import type { RoomInfo } from '@chat/contracts';
import { UserName } from '../UserName.js';

/** How a room is named on screen: `# name`, a lock for a private one, the person for a DM. */
export function RoomLabel({ name, info }: { name: string; info: RoomInfo | null | undefined }) {
  if (info?.kind === 'dm' && info.dmWith) return <UserName user={info.dmWith} />;
  if (info?.kind === 'private') {
    return (
      <span className="room-label">
        <LockMark />
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

/** A small padlock, drawn (an emoji would depend on the reader's fonts). */
function LockMark() {
  return (
    <svg
      className="room-label__mark"
      viewBox="0 0 16 16"
      width="12"
      height="12"
      aria-hidden="true"
      focusable="false"
    >
      <path
        fill="currentColor"
        d="M4 7V5a4 4 0 1 1 8 0v2h.5A1.5 1.5 0 0 1 14 8.5v5a1.5 1.5 0 0 1-1.5 1.5h-9A1.5 1.5 0 0 1 2 13.5v-5A1.5 1.5 0 0 1 3.5 7H4Zm1.75 0h4.5V5a2.25 2.25 0 0 0-4.5 0v2Z"
      />
    </svg>
  );
}
