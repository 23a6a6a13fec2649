import { Logger, type OnApplicationShutdown } from '@nestjs/common';
import type { ChatMessage } from '@chat/contracts';
import type { LogEntry } from '../storage/message-store.js';
import type { BroadcastFrame } from '../ws/broadcast-frame.js';
import type { RoomMember } from '../ws/client-connection.js';
import { logEntryFrame } from '../ws/frames.js';
import { RoomSequencer, type RangeReader } from './room-sequencer.js';

export interface RoomRegistryOptions {
  /** Where log entries that never arrived live are read from (the message store). */
  read: RangeReader;
  /** How long an out-of-order message waits for the ones before it; see {@link RoomSequencer}. */
  holdMs?: number;
  /** Told after each message went out to this instance's members (for metrics). */
  onFanOut?: (message: ChatMessage, recipients: number) => void;
  /** The room has its first member here: its live entries are needed (the bus may start hearing it). */
  opened?: (room: string) => void;
  /** The room's last member here went: its live entries are not needed any more. */
  closed?: (room: string) => void;
}

/** Long enough for Redis to deliver what another instance published just before, short enough to go unnoticed. */
export const DEFAULT_HOLD_MS = 200;

interface Membership {
  readonly client: RoomMember;
  /** Highest seq this client has been sent; null while its join is still reading history. */
  cursor: number | null;
  /** Live log entries that arrived while the join was reading history. */
  backlog: LogEntry[];
  /** Joined for live messages only (the simple protocol): it has no starting point to wait for. */
  liveOnly: boolean;
  /**
   * The log said this client's user is out of the room (left, kicked, banned): nothing after that
   * entry is theirs, even before the bus's `kick` takes the client out (it may come later than
   * entries another instance published after the removal).
   */
  removed: boolean;
}

/** True when `entry` is `userId` leaving the room, by their own hand or a moderator's. */
function removes(entry: LogEntry, userId: string): boolean {
  return (
    entry.event === 'member' &&
    entry.data.user.id === userId &&
    (entry.data.reason === 'left' || entry.data.reason === 'kicked' || entry.data.reason === 'banned')
  );
}

/**
 * Who is in which room on this instance, and live delivery to them. Each member has a cursor so
 * that it receives every message once and in seq order, also while it is catching up. Messages
 * pass through a {@link RoomSequencer} first, which puts each room's back in seq order and fills
 * the gaps that other instances' messages leave.
 */
export class RoomRegistry implements OnApplicationShutdown {
  private readonly rooms = new Map<string, Map<string, Membership>>();
  private readonly sequencer: RoomSequencer;
  private readonly logger = new Logger(RoomRegistry.name);

  private readonly onFanOut: RoomRegistryOptions['onFanOut'];
  private readonly opened: RoomRegistryOptions['opened'];
  private readonly closed: RoomRegistryOptions['closed'];

  constructor({ read, holdMs = DEFAULT_HOLD_MS, onFanOut, opened, closed }: RoomRegistryOptions) {
    this.onFanOut = onFanOut;
    this.opened = opened;
    this.closed = closed;
    this.sequencer = new RoomSequencer({
      emit: (entry) => this.fanOut(entry),
      read,
      holdMs,
      waitingForStart: (room) => this.waitingForStart(room),
      onReadError: (room, error) =>
        this.logger.warn(`cannot read missed messages of ${room}: ${(error as Error).message}`),
    });
  }

  /** Adds a member that is still catching up: live messages are held back for it. */
  addCatchingUp(room: string, client: RoomMember): void {
    this.membersOf(room).set(client.id, {
      client,
      cursor: null,
      backlog: [],
      liveOnly: false,
      removed: false,
    });
    client.rooms.add(room);
  }

  /** Adds a member that wants only live messages from now on (the simple protocol). */
  addLive(room: string, client: RoomMember): void {
    this.membersOf(room).set(client.id, { client, cursor: 0, backlog: [], liveOnly: true, removed: false });
    client.rooms.add(room);
  }

  /**
   * Ends catching up: the client has been sent everything up to `cursor`. It now gets the
   * held-back messages it still lacks, in order, and from then on live messages directly.
   */
  goLive(room: string, client: RoomMember, cursor: number): void {
    const membership = this.rooms.get(room)?.get(client.id);
    if (!membership || membership.cursor !== null) return;
    const { backlog } = membership;
    membership.cursor = cursor;
    membership.backlog = [];
    for (const entry of backlog) {
      if (membership.removed) break;
      if (entry.data.seq > membership.cursor) {
        membership.cursor = entry.data.seq;
        client.deliver(logEntryFrame(entry));
        membership.removed = removes(entry, client.user.id);
      }
    }
    this.sequencer.anchor(room, cursor);
  }

  remove(room: string, client: RoomMember): void {
    const members = this.rooms.get(room);
    members?.delete(client.id);
    if (members?.size === 0) {
      this.rooms.delete(room);
      this.sequencer.forget(room);
      this.closed?.(room);
    }
    client.rooms.delete(room);
  }

  removeEverywhere(client: RoomMember): void {
    for (const room of [...client.rooms]) this.remove(room, client);
  }

  isMember(room: string, client: RoomMember): boolean {
    return this.rooms.get(room)?.has(client.id) ?? false;
  }

  /** The highest seq of `room` this client has been sent; null while it catches up or when not a member. */
  cursorOf(room: string, client: RoomMember): number | null {
    const membership = this.rooms.get(room)?.get(client.id);
    return membership?.client === client ? membership.cursor : null;
  }

  /** A member that has caught up and gets live traffic. */
  isLive(room: string, client: RoomMember): boolean {
    const membership = this.rooms.get(room)?.get(client.id);
    return membership !== undefined && membership.client === client && membership.cursor !== null;
  }

  /** Every client of one user in any room here (that user's tabs), each once. */
  clientsOf(userId: string): Set<RoomMember> {
    const found = new Set<RoomMember>();
    for (const members of this.rooms.values()) {
      for (const { client } of members.values()) if (client.user.id === userId) found.add(client);
    }
    return found;
  }

  hasMembers(room: string): boolean {
    return this.rooms.has(room);
  }

  /** Calls `fn` for each member of the room on this instance that has caught up. */
  forEachLive(room: string, fn: (client: RoomMember) => void): void {
    const members = this.rooms.get(room);
    if (!members) return;
    for (const { client, cursor } of members.values()) if (cursor !== null) fn(client);
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

  /** Takes a stored log entry (a message or a change) for the room's members here, from whichever instance. */
  deliver(entry: LogEntry): void {
    if (this.rooms.has(entry.data.room)) this.sequencer.accept(entry);
  }

  /**
   * The bus was away (or, with `room`, has only now started hearing that room): reads what the
   * rooms with members here may have missed.
   */
  catchUp(room?: string): void {
    if (room === undefined || this.rooms.has(room)) this.sequencer.catchUp(room);
  }

  onApplicationShutdown(): void {
    this.sequencer.close();
  }

  /** Sends a log entry, in seq order now, to every member, encoded once for all. */
  private fanOut(entry: LogEntry): void {
    const { room, seq } = entry.data;
    const members = this.rooms.get(room);
    if (!members) return;
    const frame = logEntryFrame(entry);
    let recipients = 0;
    for (const membership of members.values()) {
      if (membership.cursor === null) {
        membership.backlog.push(entry);
      } else if (seq > membership.cursor && !membership.removed) {
        membership.cursor = seq;
        membership.client.deliver(frame);
        recipients++;
        // A simple client is closed by the kick itself; only envelope clients wait for room.removed.
        if (!membership.liveOnly) membership.removed = removes(entry, membership.client.user.id);
      }
    }
    if (entry.event === 'message') this.onFanOut?.(entry.data, recipients);
  }

  /** A joining member's read fixes where the room starts, unless someone takes anything (simple). */
  private waitingForStart(room: string): boolean {
    const members = [...(this.rooms.get(room)?.values() ?? [])];
    return members.some((m) => m.cursor === null) && !members.some((m) => m.liveOnly);
  }

  private membersOf(room: string): Map<string, Membership> {
    let members = this.rooms.get(room);
    if (!members) {
      members = new Map();
      this.rooms.set(room, members);
      this.opened?.(room);
    }
    return members;
  }
}
