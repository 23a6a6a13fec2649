import type { ErrorCode, RoomInfo, RoomMember } from '@chat/contracts';
import type { PendingMessage } from '../chat/chat-state.js';
import { frame } from '../chat/frames.js';
import { SessionCore } from './session-core.js';
import type { SendOptions } from './types.js';

const TYPING_NOTICE_EVERY_MS = 2000;
const THREAD_PAGE = 50;

/**
 * The chat protocol's client side, framework-free: connects (and reconnects) with `chat.v1`,
 * joins the user's rooms and resumes each with `since` after every reconnect, keeps messages in
 * order without duplicates (the room state reducer), keeps unacknowledged sends in an outbox
 * that is resent with the same clientId until the server has them (paced by the welcome's
 * limits), and sends read markers and typing notices. Works in browsers and in Node (give it
 * `ws`). State is a snapshot replaced on every change: `subscribe` + `getSnapshot` fit React's
 * `useSyncExternalStore`.
 *
 * Nothing happens until {@link start}; {@link stop} closes the socket and every timer, and
 * `start` may be called again (React's StrictMode does).
 */
export class ChatSession extends SessionCore {
  private lastTypingAt = 0;

  /**
   * Writes a message: it enters the outbox at once (shown as sending, where it was written) and
   * goes on the wire as soon as its room is joined; returns its clientId.
   */
  send(text: string, options: SendOptions = {}): string {
    const room = options.thread?.room ?? options.room ?? this.state.active;
    const pending: PendingMessage = {
      clientId: options.clientId ?? this.clientId(),
      room,
      text,
      ...(options.replyTo ? { replyTo: options.replyTo } : {}),
      ...(options.thread ? { threadId: options.thread.root } : {}),
      ...(options.attachments && options.attachments.length > 0 ? { attachments: options.attachments } : {}),
      afterSeq: this.state.rooms.get(room)?.lastSeq ?? 0,
      status: 'sending',
      createdAt: new Date().toISOString(),
    };
    this.dispatch({ type: 'queued', pending });
    this.outbox.sendPending(pending);
    return pending.clientId;
  }

  /** Sends a failed message again (same clientId). */
  retry(clientId: string): void {
    const pending = this.state.outbox.find((p) => p.clientId === clientId);
    this.dispatch({ type: 'retry', clientId });
    if (pending) this.outbox.sendPending({ ...pending, status: 'sending', error: undefined });
  }

  discard(clientId: string): void {
    this.dispatch({ type: 'discard', clientId });
  }

  /** Shows `room`, joining it first if it is not one of ours yet. */
  openRoom(room: string): void {
    const known = this.state.joined.includes(room);
    this.dispatch({ type: 'open', room });
    if (!known) this.joins.join(room);
  }

  selectRoom(room: string): void {
    this.dispatch({ type: 'select', room });
  }

  /** Asks for the page of messages before the oldest one held. */
  loadOlder(room: string): void {
    const current = this.state.rooms.get(room);
    const oldest = current?.messages[0];
    if (!current || !current.hasMore || current.loadingOlder || !oldest) return;
    this.dispatch({ type: 'loadingOlder', room });
    this.historyAsked.push(undefined);
    this.sendRaw(frame('history', { room, before: oldest.seq, limit: 50 }));
  }

  /**
   * Asks for (the next page of) who is online in a big room, optionally those matching `q`; the
   * answer (`presence.page`) fills the room's `onlinePage`.
   */
  listOnline(room: string, options: { q?: string; more?: boolean } = {}): void {
    // The server trims the search and echoes it: compare like with like.
    const q = (options.q ?? '').trim();
    const more = options.more ?? false;
    const open = this.state.rooms.get(room)?.onlinePage;
    const after = more && open?.q === q ? open.next : undefined;
    if (more && after === undefined) return; // everyone is listed already
    this.dispatch({ type: 'presenceListing', room, q, more });
    this.sendRaw(frame('presence.list', { room, limit: 50, ...(after && { after }), ...(q && { q }) }));
  }

  closeOnline(room: string): void {
    this.dispatch({ type: 'closeOnline', room });
  }

  /** The user is typing in the active room (sent at most every 2 s). */
  notifyTyping(): void {
    const now = Date.now();
    if (now - this.lastTypingAt < TYPING_NOTICE_EVERY_MS) return;
    this.lastTypingAt = now;
    const room = this.state.active;
    if (this.joins.live.has(room)) this.sendRaw(frame('typing', { room }));
  }

  dismissNotice(): void {
    this.dispatch({ type: 'dismissNotice' });
  }

  dismissInfo(): void {
    this.dispatch({ type: 'dismissInfo' });
  }

  edit(room: string, id: string, text: string): void {
    this.change(frame('edit', { room, id, text, clientId: this.clientId() }));
  }

  remove(room: string, id: string): void {
    this.change(frame('delete', { room, id, clientId: this.clientId() }));
  }

  react(room: string, id: string, emoji: string, on: boolean): void {
    this.change(frame('react', { room, id, emoji, on, clientId: this.clientId() }));
  }

  /** The reader has seen `room` up to `seq`: moves the read marker (sent at most once a second). */
  markRead(room: string, seq: number): void {
    const info = this.state.rooms.get(room)?.info;
    if (!info || seq <= info.readSeq) return;
    this.dispatch({ type: 'read', room, seq });
    this.reads.mark(room, seq);
  }

  openThread(room: string, root: string): void {
    this.dispatch({ type: 'openThread', room, root });
    this.askThread(room, root);
  }

  loadOlderReplies(): void {
    const thread = this.state.thread;
    if (!thread || !thread.hasMore || thread.loading) return;
    const replies = this.state.rooms.get(thread.room)?.messages.filter((m) => m.threadId === thread.root);
    this.askThread(thread.room, thread.root, replies?.[0]?.seq);
  }

  closeThread(): void {
    this.dispatch({ type: 'closeThread' });
  }

  /** A room that is now ours (created, or a DM opened over HTTP): joined and shown. */
  addRoom(info: RoomInfo): void {
    this.dispatch({ type: 'roomAdded', room: info });
    this.joins.ensureJoined(info.name);
    this.dispatch({ type: 'select', room: info.name });
  }

  /** A room we left (over HTTP): dropped here, nothing more of it expected. */
  removeRoom(room: string): void {
    this.dispatch({ type: 'roomRemoved', room });
    this.joins.forget(room);
  }

  /** The member list of `room`, fetched over HTTP. */
  setMembers(room: string, members: RoomMember[]): void {
    this.dispatch({ type: 'members', room, members });
  }

  /**
   * Shows why something the user asked for failed, as the session's notice; `cause` (the error
   * code and the request) lets the UI word it for people.
   */
  fail(message: string, cause: { code?: ErrorCode; event?: string } = {}): void {
    const { code = 'internal', event } = cause;
    this.dispatch({ type: 'error', error: { code, message, ...(event && { event }) } });
  }

  private change(data: string): void {
    if (!this.sendRaw(data))
      this.dispatch({
        type: 'error',
        error: { code: 'unavailable', message: 'Not connected: try again once the connection is back.' },
      });
  }

  private askThread(room: string, root: string, before?: number): void {
    this.historyAsked.push(root);
    this.sendRaw(
      frame('history', { room, threadId: root, limit: THREAD_PAGE, ...(before ? { before } : {}) }),
    );
  }
}
