import {
  REPLY_PREVIEW_CHARACTERS,
  type ChatMessage,
  type Joined,
  type MemberEvent,
  type ReactionEvent,
  type RoomChange,
  type ThreadSummary,
} from '@chat/contracts';
import { contiguousEnd, mergeMessages, type RoomState } from './chat-state.js';
import { countNewMessage } from './read-state.js';

/**
 * A room's log applied to what the client holds (docs/protocol.md, "Messages that change").
 * Every event has its own seq and is applied at most once: one at or below the resume point, or
 * already applied past a gap, is ignored. Change events are absolute (whole text, count after
 * the change), so applying them in seq order ends in the server's state.
 */

/** Marks `seq` applied; null when it already was (nothing to do). */
export function takeSeq(room: RoomState, seq: number): RoomState | null {
  if (seq <= room.lastSeq || room.pastGap.includes(seq)) return null;
  return { ...room, ...contiguousEnd(room.lastSeq, [...room.pastGap, seq]) };
}

/** A live `message`. */
export function applyMessage(room: RoomState, message: ChatMessage, meId: string | undefined): RoomState {
  const taken = takeSeq(room, message.seq);
  if (!taken) return room;
  const held = taken.messages.some((m) => m.id === message.id);
  const messages = held
    ? taken.messages
    : withThreadSummary(mergeMessages(taken.messages, [message]), message);
  return {
    ...countNewMessage(taken, message, meId),
    messages,
    // A message from someone ends their "is typing…".
    typing: taken.typing.filter((t) => t.user.id !== message.user.id),
  };
}

/** A live change event, or one replayed in `joined.changes`. */
export function applyChange(room: RoomState, change: RoomChange, meId: string | undefined): RoomState {
  const taken = takeSeq(room, change.data.seq);
  return taken ? changed(taken, change, meId) : room;
}

/** What a change does to the messages and members held. */
function changed(taken: RoomState, change: RoomChange, meId: string | undefined): RoomState {
  switch (change.event) {
    case 'message.edited': {
      const { id, text, editedAt } = change.data;
      return withMessages(taken, (m) =>
        m.id === id && !m.deleted
          ? { ...m, text, editedAt }
          : m.replyTo?.id === id && !m.replyTo.deleted
            ? { ...m, replyTo: { ...m.replyTo, text: [...text].slice(0, REPLY_PREVIEW_CHARACTERS).join('') } }
            : m,
      );
    }
    case 'message.deleted': {
      const { id } = change.data;
      return withMessages(taken, (m) =>
        m.id === id
          ? tombstone(m)
          : m.replyTo?.id === id
            ? { ...m, replyTo: { ...m.replyTo, text: '', deleted: true } }
            : m,
      );
    }
    case 'reaction':
      return withMessages(taken, (m) =>
        m.id === change.data.id && !m.deleted ? react(m, change.data, meId) : m,
      );
    case 'member':
      return applyMember(taken, change.data, meId);
  }
}

/** A `joined` answer: its page, then its changes, then the resume point at its lastSeq. */
export function applyJoined(kept: RoomState, joined: Joined, meId: string | undefined): RoomState {
  // The server's history of this room started again (`since` was past its lastSeq): what we hold
  // belongs to the old one, so the page replaces it instead of merging with it.
  const current = joined.reset
    ? { ...kept, messages: [], lastSeq: 0, pastGap: [], historyUntil: null, members: kept.members }
    : kept;
  let room: RoomState = {
    ...current,
    messages: mergePage(current.messages, joined.messages),
    hasMore: current.messages.length === 0 ? joined.hasMore : current.hasMore || joined.hasMore,
    historyUntil: current.historyUntil ?? joined.lastSeq,
  };
  // Every change past our resume point, even one applied live past a gap: they are absolute, so
  // applying each in seq order ends right, where skipping one would leave an older one on top.
  const replayed = (joined.changes ?? []).filter((change) => change.data.seq > current.lastSeq);
  for (const change of replayed) room = changed(room, change, meId);
  const applied = [...room.pastGap, ...replayed.map((change) => change.data.seq)];
  const { lastSeq, pastGap } = contiguousEnd(Math.max(room.lastSeq, joined.lastSeq), applied);
  return { ...room, lastSeq, pastGap };
}

/** A page's messages (latest state) in place of ours; its replies bring held roots up to date. */
export function mergePage(held: ChatMessage[], page: ChatMessage[]): ChatMessage[] {
  return page.reduce(withThreadSummary, mergeMessages(held, page));
}

function withMessages(room: RoomState, update: (m: ChatMessage) => ChatMessage): RoomState {
  let changed = false;
  const messages = room.messages.map((m) => {
    const next = update(m);
    if (next !== m) changed = true;
    return next;
  });
  return changed ? { ...room, messages } : room;
}

/** What is left of a deleted message: who and when, no text, no reactions (its thread stays). */
function tombstone(message: ChatMessage): ChatMessage {
  const { reactions: _reactions, editedAt: _editedAt, ...rest } = message;
  return { ...rest, text: '', deleted: true };
}

function react(message: ChatMessage, event: ReactionEvent, meId: string | undefined): ChatMessage {
  const reactions = [...(message.reactions ?? [])];
  const index = reactions.findIndex((r) => r.emoji === event.emoji);
  const mine = event.user.id === meId;
  const me = mine ? event.on : (reactions[index]?.me ?? false);
  if (index === -1) reactions.push({ emoji: event.emoji, count: event.count, me });
  else reactions[index] = { emoji: event.emoji, count: event.count, me };
  const kept = reactions.filter((r) => r.count > 0).sort((a, b) => byCodePoints(a.emoji, b.emoji));
  const { reactions: _reactions, ...rest } = message;
  return kept.length > 0 ? { ...rest, reactions: kept } : rest;
}

/**
 * The order pages give reactions in: by the emoji's UTF-8 bytes, that is by code points (not by
 * UTF-16 units, which put U+E000-U+FFFF after the astral planes).
 */
function byCodePoints(a: string, b: string): number {
  const x = [...a];
  const y = [...b];
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const diff = (x[i]?.codePointAt(0) ?? 0) - (y[i]?.codePointAt(0) ?? 0);
    if (diff !== 0) return diff;
  }
  return x.length - y.length;
}

/** A reply carries its thread's summary as of itself: bring the root up to date (larger count wins). */
function withThreadSummary(messages: ChatMessage[], reply: ChatMessage): ChatMessage[] {
  const summary = reply.thread;
  if (!reply.threadId || !summary) return messages;
  return messages.map((m) =>
    m.id === reply.threadId ? { ...m, thread: largerSummary(m.thread, summary) } : m,
  );
}

function largerSummary(held: ThreadSummary | undefined, seen: ThreadSummary): ThreadSummary {
  return held && held.replyCount >= seen.replyCount ? held : seen;
}

/** Who is a member, with which role; the member list (when loaded) and your own role follow. */
function applyMember(room: RoomState, event: MemberEvent, meId: string | undefined): RoomState {
  const { user, role, reason } = event;
  const known = room.members?.find((m) => m.user.id === user.id);
  const muted = reason === 'muted' ? true : reason === 'unmuted' ? false : (known?.muted ?? false);
  const members =
    room.members === null
      ? null
      : role === undefined
        ? room.members.filter((m) => m.user.id !== user.id)
        : known
          ? room.members.map((m) => (m.user.id === user.id ? { user, role, muted } : m))
          : [...room.members, { user, role, muted }];
  if (!room.info) return { ...room, members };
  // The count is the server's as of its last report; joins and leaves since then move it.
  const delta = role === undefined ? -1 : reason === 'joined' || reason === 'added' ? (known ? 0 : 1) : 0;
  let info = { ...room.info, memberCount: Math.max(0, room.info.memberCount + delta) };
  if (user.id === meId && role !== undefined) {
    const { muted: _wasMuted, ...rest } = { ...info, role };
    info = muted ? { ...rest, muted: true } : rest;
  }
  return { ...room, members, info };
}
