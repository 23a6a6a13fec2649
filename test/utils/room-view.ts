import {
  REPLY_PREVIEW_CHARACTERS,
  type ChatMessage,
  type HistoryPage,
  type Joined,
  type MessageDeleted,
  type MessageEdited,
  type ReactionEvent,
  type RoomChange,
} from '@chat/contracts';

/**
 * What a client holds of one room, as a careful client keeps it: messages by id, replaced from
 * pages (latest state), changed by live events applied once (seq above its position), and its
 * position in the room's log (every entry's seq counts, not only messages').
 */
export interface RoomView {
  me: string;
  position: number;
  messages: Map<string, ChatMessage>;
}

export function emptyView(me: string): RoomView {
  return { me, position: 0, messages: new Map() };
}

const preview = (text: string) => Array.from(text).slice(0, REPLY_PREVIEW_CHARACTERS).join('');

/** Places a message in its latest state, and brings its thread's root up to date from it. */
function place(view: RoomView, message: ChatMessage): void {
  view.messages.set(message.id, structuredClone(message));
  const root = message.threadId === undefined ? undefined : view.messages.get(message.threadId);
  if (root && message.thread && message.thread.replyCount > (root.thread?.replyCount ?? 0)) {
    root.thread = { ...message.thread };
  }
}

/** The quotes of `id` in held replies follow its text (and its deletion). */
function requote(view: RoomView, id: string, text: string, deleted: boolean): void {
  for (const message of view.messages.values()) {
    if (message.replyTo?.id !== id) continue;
    message.replyTo = deleted
      ? { id, user: message.replyTo.user, text: '', deleted: true }
      : { id, user: message.replyTo.user, text: preview(text) };
  }
}

function applyChange(view: RoomView, change: RoomChange): void {
  if (change.event === 'member') return;
  const target = view.messages.get(change.data.id);
  if (change.event === 'message.edited') {
    const { text, editedAt } = change.data as MessageEdited;
    if (target) Object.assign(target, { text, editedAt });
    requote(view, change.data.id, text, false);
  } else if (change.event === 'message.deleted') {
    const { id } = change.data as MessageDeleted;
    if (target) {
      target.text = '';
      target.deleted = true;
      delete target.reactions;
    }
    requote(view, id, '', true);
  } else if (target) {
    const { emoji, count, user, on } = change.data as ReactionEvent;
    const others = (target.reactions ?? []).filter((reaction) => reaction.emoji !== emoji);
    const previous = target.reactions?.find((reaction) => reaction.emoji === emoji);
    const me = user.id === view.me ? on : (previous?.me ?? false);
    target.reactions = count > 0 ? [...others, { emoji, count, me }] : others;
    if (target.reactions.length === 0) delete target.reactions;
  }
}

/**
 * Applies one server frame to the view: the reducer a client author writes from docs/protocol.md,
 * "Messages that change". Returns the view for chaining; frames of other rooms or kinds are ignored.
 */
export function applyFrame(view: RoomView, room: string, event: string, data: unknown): RoomView {
  if (event === 'joined') {
    const joined = data as Joined;
    if (joined.room !== room) return view;
    if (joined.reset || view.position === 0) view.messages.clear();
    for (const message of joined.messages) place(view, message);
    for (const change of joined.changes ?? []) applyChange(view, change);
    view.position = joined.lastSeq;
  } else if (event === 'history') {
    const page = data as HistoryPage;
    if (page.room === room) for (const message of page.messages) place(view, message);
  } else if (event === 'message') {
    const message = data as ChatMessage;
    if (message.room !== room || message.seq <= view.position) return view;
    place(view, message);
    view.position = message.seq;
  } else if (
    event === 'message.edited' ||
    event === 'message.deleted' ||
    event === 'reaction' ||
    event === 'member'
  ) {
    const change = { event, data } as RoomChange;
    if (change.data.room !== room || change.data.seq <= view.position) return view;
    applyChange(view, change);
    view.position = change.data.seq;
  }
  return view;
}

/** The view as a screen would show it: messages in seq order, reactions in a fixed order. */
export function renderView(view: RoomView): unknown[] {
  return [...view.messages.values()]
    .sort((a, b) => a.seq - b.seq)
    .map((message) => ({
      ...message,
      user: message.user.id,
      clientId: undefined,
      reactions: message.reactions && [...message.reactions].sort((a, b) => (a.emoji < b.emoji ? -1 : 1)),
    }));
}
