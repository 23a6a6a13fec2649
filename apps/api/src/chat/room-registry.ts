import type { ChatMessage } from '@chat/contracts';
import type { BroadcastFrame } from '../ws/broadcast-frame.js';
import type { ChatClient } from './chat-client.js';
import { messageFrame } from './frames.js';

interface Membership {
  readonly client: ChatClient;
  /** Highest seq this client has been sent; null while its join is still reading history. */
  cursor: number | null;
  /** Live messages that arrived while the join was reading history. */
  backlog: ChatMessage[];
}

/**
 * Who is in which room on this instance, and live delivery to them. Each member has a cursor so
 * that it receives every message once and in seq order, also while it is catching up.
 */
export class RoomRegistry {
  private readonly rooms = new Map<string, Map<string, Membership>>();

  /** Adds a member that is still catching up: live messages are held back for it. */
  addCatchingUp(room: string, client: ChatClient): void {
    this.membersOf(room).set(client.id, { client, cursor: null, backlog: [] });
    client.rooms.add(room);
  }

  /** Adds a member that wants only live messages from now on (the simple protocol). */
  addLive(room: string, client: ChatClient): void {
    this.membersOf(room).set(client.id, { client, cursor: 0, backlog: [] });
    client.rooms.add(room);
  }

  /**
   * Ends catching up: the client has been sent everything up to `cursor`. It now gets the
   * held-back messages it still lacks, in order, and from then on live messages directly.
   */
  goLive(room: string, client: ChatClient, cursor: number): void {
    const membership = this.rooms.get(room)?.get(client.id);
    if (!membership || membership.cursor !== null) return;
    const { backlog } = membership;
    membership.cursor = cursor;
    membership.backlog = [];
    for (const message of backlog) {
      if (message.seq > membership.cursor) {
        membership.cursor = message.seq;
        client.deliver(messageFrame(message));
      }
    }
  }

  remove(room: string, client: ChatClient): void {
    const members = this.rooms.get(room);
    members?.delete(client.id);
    if (members?.size === 0) this.rooms.delete(room);
    client.rooms.delete(room);
  }

  removeEverywhere(client: ChatClient): void {
    for (const room of [...client.rooms]) this.remove(room, client);
  }

  isMember(room: string, client: ChatClient): boolean {
    return this.rooms.get(room)?.has(client.id) ?? false;
  }

  /**
   * Sends a frame that is not part of the message sequence (presence, typing) to the room's
   * members on this instance, except those of `exceptUserId` and those still catching up (they
   * get the current state right after their `joined`).
   */
  broadcast(room: string, frame: BroadcastFrame, exceptUserId?: string): void {
    const members = this.rooms.get(room);
    if (!members) return;
    for (const { client, cursor } of members.values()) {
      if (cursor !== null && client.user.id !== exceptUserId) client.deliver(frame);
    }
  }

  /** Delivers a stored message to the room's members on this instance, encoded once for all. */
  deliver(message: ChatMessage): void {
    const members = this.rooms.get(message.room);
    if (!members) return;
    const frame = messageFrame(message);
    for (const membership of members.values()) {
      if (membership.cursor === null) {
        membership.backlog.push(message);
      } else if (message.seq > membership.cursor) {
        membership.cursor = message.seq;
        membership.client.deliver(frame);
      }
    }
  }

  private membersOf(room: string): Map<string, Membership> {
    let members = this.rooms.get(room);
    if (!members) {
      members = new Map();
      this.rooms.set(room, members);
    }
    return members;
  }
}
