import { REPLY_PREVIEW_CHARACTERS, type ReplyPreview, type RoomChange, type User } from '@chat/contracts';
import type { ChangeDraft } from './message-store.js';

/** The start of a text as a reply quotes it: REPLY_PREVIEW_CHARACTERS code points (as SQL's substr/left count). */
export function previewText(text: string): string {
  if (text.length <= REPLY_PREVIEW_CHARACTERS) return text;
  return Array.from(text).slice(0, REPLY_PREVIEW_CHARACTERS).join('');
}

/** A reply's quote of `original`, from the original's latest state. */
export function replyPreview(original: {
  id: string;
  user: User;
  text: string;
  deleted?: boolean;
}): ReplyPreview {
  return original.deleted
    ? { id: original.id, user: original.user, text: '', deleted: true }
    : { id: original.id, user: original.user, text: previewText(original.text) };
}

/**
 * The wire event a change is logged as, without its seq (and, for a reaction, its count): the
 * store adds those when it appends. Stored as is in room_events.data, so replay is the live frame.
 */
export function changeEventOf(draft: ChangeDraft, time: string): RoomChange {
  const { room, id, user } = draft;
  switch (draft.type) {
    case 'edit':
      return { event: 'message.edited', data: { room, seq: 0, id, text: draft.text, editedAt: time, user } };
    case 'delete':
      return { event: 'message.deleted', data: { room, seq: 0, id, by: user } };
    case 'react':
      return {
        event: 'reaction',
        data: { room, seq: 0, id, emoji: draft.emoji, user, on: draft.on, count: 0 },
      };
  }
}

/** The change with its seq (and reaction count) filled in. */
export function withSeq(change: RoomChange, seq: number, count = 0): RoomChange {
  if (change.event === 'reaction') return { event: change.event, data: { ...change.data, seq, count } };
  return { ...change, data: { ...change.data, seq } } as RoomChange;
}

/** Whether a logged duplicate answers `draft` (same kind, same message), or the clientId was reused. */
export function sameChange(change: RoomChange, draft: ChangeDraft): boolean {
  const kind = { edit: 'message.edited', delete: 'message.deleted', react: 'reaction' }[draft.type];
  return (
    change.event === kind &&
    'id' in change.data &&
    change.data.id === draft.id &&
    change.data.room === draft.room
  );
}
